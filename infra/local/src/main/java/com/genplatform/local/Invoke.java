package com.genplatform.local;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.genplatform.core.Json;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.SamTemplate;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code infra/invoke <FunctionLogicalId> -e events/<file>.json}: runs one function of template.yaml once in
 * this fresh JVM, with the template's environment, deserialising the event as the Lambda Java runtime does.
 * Uses a running infra/run-local's emulators, else starts its own in memory. Prints the response, then the
 * init and invoke durations (the local cold-start figures).
 */
public final class Invoke {
    private Invoke() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one invocation; returns the process exit code. */
    static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) throws Exception {
        if (args.length < 3 || !args[1].equals("-e")) {
            err.println("Usage: infra/invoke <FunctionLogicalId> -e <event.json>");
            err.println("Functions: " + String.join(", ", new LocalFunctions(SamTemplate.locate(), id -> Map.of()).definitions().keySet()));
            return 2;
        }
        String functionId = args[0];
        Path eventFile = Path.of(args[2]);
        SamTemplate template = SamTemplate.locate();
        LocalAws ownEmulators = null;
        if (!new LocalFunctions(template, id -> Map.of()).definitions().containsKey(functionId)) {
            err.println("template.yaml has no function " + functionId);
            return 2;
        }
        if (!Files.isRegularFile(eventFile)) {
            err.println("no event file " + eventFile);
            return 2;
        }
        Map<String, String> env = runningStackEnvironment(functionId, err);
        if (env == null) {
            err.println("(no infra/run-local is running: starting in-memory emulators for this call)");
            ownEmulators = LocalAws.start(template, LocalAws.Settings.inMemory());
            env = new LinkedHashMap<>(ownEmulators.functionEnvironment(functionId));
        }
        Map<String, String> environment = env;
        var functions = new LocalFunctions(template, id -> environment);
        Class<?> eventType = functions.eventType(functionId);
        Object event;
        try (InputStream in = Files.newInputStream(eventFile)) {
            event = LambdaEventSerializers.isLambdaSupportedEvent(eventType.getName())
                    ? LambdaEventSerializers.serializerFor(eventType, Invoke.class.getClassLoader()).fromJson(in)
                    : new ObjectMapper().readValue(in, eventType);
        }
        long initMs = functions.warm(functionId);
        long start = System.nanoTime();
        Object response = functions.invoke(functionId, event);
        long invokeMs = (System.nanoTime() - start) / 1_000_000;
        out.println(toJson(response));
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        err.printf("%s: init %d ms, invoke %d ms (JVM start to response %d ms)%n", functionId, initMs, invokeMs, sinceJvmStart);
        if (ownEmulators != null) ownEmulators.close();
        return 0;
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String toJson(Object response) throws Exception {
        if (response != null && LambdaEventSerializers.isLambdaSupportedEvent(response.getClass().getName())) {
            var out = new ByteArrayOutputStream();
            ((com.amazonaws.services.lambda.runtime.serialization.PojoSerializer) LambdaEventSerializers
                    .serializerFor(response.getClass(), Invoke.class.getClassLoader())).toJson(response, out);
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)));
        }
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(response);
    }
}
