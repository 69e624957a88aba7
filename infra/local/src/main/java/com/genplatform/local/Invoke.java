package com.genplatform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.genplatform.core.Json;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.SamTemplate;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code infra/invoke <FunctionLogicalId> -e events/<file>.json}: runs one function of template.yaml once in
 * this fresh JVM, from its jar with the template's environment, the event file's bytes given to it as the
 * Lambda Java runtime gets them. Uses a running infra/run-local's emulators, else starts its own in memory.
 * Prints the response (or the function error, exit code 1), then the init and invoke durations (the local
 * cold-start figures).
 */
public final class Invoke {
    private Invoke() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one invocation; returns the process exit code. */
    static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) throws Exception {
        SamTemplate template = SamTemplate.locate();
        Map<String, String> environment = new LinkedHashMap<>(); // filled below, read at the function's init
        try (var functions = new LocalFunctions(template, id -> environment)) {
            if (args.length < 3 || !args[1].equals("-e")) {
                err.println("Usage: infra/invoke <FunctionLogicalId> -e <event.json>");
                err.println("Functions: " + String.join(", ", functions.definitions().keySet()));
                return 2;
            }
            String functionId = args[0];
            Path eventFile = Path.of(args[2]);
            if (!functions.definitions().containsKey(functionId)) {
                err.println("template.yaml has no function " + functionId);
                return 2;
            }
            if (!Files.isRegularFile(eventFile)) {
                err.println("no event file " + eventFile);
                return 2;
            }
            Map<String, String> running = runningStackEnvironment(functionId, err);
            LocalAws ownEmulators = null;
            if (running == null) {
                err.println("(no infra/run-local is running: starting in-memory emulators for this call)");
                ownEmulators = LocalAws.start(template, LocalAws.Settings.inMemory());
                running = ownEmulators.functionEnvironment(functionId);
            }
            environment.putAll(running);
            try {
                return invoke(functions, functionId, Files.readAllBytes(eventFile), out, err);
            } finally {
                if (ownEmulators != null) ownEmulators.close();
            }
        }
    }

    private static int invoke(LocalFunctions functions, String functionId, byte[] event, java.io.PrintStream out,
                              java.io.PrintStream err) throws Exception {
        var json = new ObjectMapper();
        try {
            long initMs = functions.warm(functionId);
            long start = System.nanoTime();
            byte[] response = functions.invoke(functionId, event);
            long invokeMs = (System.nanoTime() - start) / 1_000_000;
            out.println(json.readTree(response).toPrettyString());
            long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            err.printf("%s: init %d ms, invoke %d ms (JVM start to response %d ms)%n", functionId, initMs, invokeMs, sinceJvmStart);
            return 0;
        } catch (LocalFunctions.FunctionError e) {
            // What Lambda's Invoke answers for a function error.
            out.println(json.createObjectNode().put("errorMessage", e.getMessage()).put("errorType", e.errorType()).toPrettyString());
            err.println(functionId + ": function error (" + e.errorType() + ")");
            return 1;
        }
    }

    /** The function's environment in a running run-local, if its state file names a live process. */
    private static Map<String, String> runningStackEnvironment(String functionId, java.io.PrintStream err) throws Exception {
        if (!Files.exists(LocalPlatform.STATE)) return null;
        JsonNode state = Json.MAPPER.readTree(LocalPlatform.STATE.toFile());
        boolean alive = ProcessHandle.of(state.path("pid").asLong()).map(ProcessHandle::isAlive).orElse(false);
        JsonNode env = state.path("functions").path(functionId);
        if (!alive || env.isMissingNode()) return null;
        Map<String, String> result = new LinkedHashMap<>();
        env.properties().forEach(e -> result.put(e.getKey(), e.getValue().asText()));
        err.println("(using the emulators of the running infra/run-local)");
        return result;
    }
}
