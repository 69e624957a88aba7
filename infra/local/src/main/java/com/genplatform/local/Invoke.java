package com.genplatform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.genplatform.core.Json;
import com.genplatform.providers.local.LocalProvider;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.SamTemplate;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
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
            boolean asIs = args.length == 4 && args[3].equals("--as-is");
            if (args.length < 3 || !args[1].equals("-e") || (args.length > 3 && !asIs)) {
                err.println("Usage: infra/invoke <FunctionLogicalId> -e <event.json> [--as-is]");
                err.println("  --as-is   send the event unchanged (by default the task, key or signature it needs is made first)");
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
            DynamoDbClient tables;
            if (running == null) {
                err.println("(no infra/run-local is running: starting in-memory emulators for this call)");
                ownEmulators = LocalAws.start(template, LocalAws.Settings.inMemory());
                running = ownEmulators.functionEnvironment(functionId);
                tables = ownEmulators.dynamoDb();
            } else {
                tables = DynamoDbClient.builder().region(Region.of(LocalAws.REGION)).endpointOverride(URI.create(running.get(ADMIN_ENDPOINT)))
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY)))
                        .httpClient(UrlConnectionHttpClient.create()).build();
                running.remove(ADMIN_ENDPOINT);
            }
            // Invoke runs locally only: the local provider's development secret, as the local stack sets it.
            running.putIfAbsent("LOCAL_WEBHOOK_SECRET", LocalProvider.DEVELOPMENT_WEBHOOK_SECRET);
            environment.putAll(running);
            try {
                byte[] event = Files.readAllBytes(eventFile);
                if (!asIs) {
                    var prepared = new EventFixtures(tables, running).prepare(event);
                    prepared.notes().forEach(note -> err.println("(prepared: " + note + ")"));
                    event = prepared.event();
                }
                return invoke(functions, functionId, event, out, err);
            } finally {
                if (ownEmulators != null) ownEmulators.close();
                else tables.close();
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

    /** Where, beside a running stack's function environment, its DynamoDB emulator itself is passed on. */
    private static final String ADMIN_ENDPOINT = "invoke.dynamodb-endpoint";

    /** The function's environment in a running run-local, if its state file names a live process. */
    private static Map<String, String> runningStackEnvironment(String functionId, java.io.PrintStream err) throws Exception {
        if (!Files.exists(LocalPlatform.STATE)) return null;
        JsonNode state = Json.MAPPER.readTree(LocalPlatform.STATE.toFile());
        boolean alive = ProcessHandle.of(state.path("pid").asLong()).map(ProcessHandle::isAlive).orElse(false);
        JsonNode env = state.path("functions").path(functionId);
        if (!alive || env.isMissingNode()) return null;
        Map<String, String> result = new LinkedHashMap<>();
        env.properties().forEach(e -> result.put(e.getKey(), e.getValue().asText()));
        result.put(ADMIN_ENDPOINT, state.path("dynamodb_endpoint").asText());
        err.println("(using the emulators of the running infra/run-local)");
        return result;
    }
}
