package com.genplatform.local;

import com.genplatform.local.replicate.ReplicateCompatibleServer;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code infra/run-local}: the whole platform on this machine, offline. Emulated DynamoDB, SQS and S3 with
 * template.yaml's resources; the HTTP API routed to the template's functions; the queues polled into the
 * workers; and a Replicate-compatible provider that calls back with signed webhooks.
 */
public final class LocalPlatform {
    /** The Replicate webhook secret both sides use locally unless REPLICATE_WEBHOOK_SECRET says otherwise. */
    static final String DEVELOPMENT_REPLICATE_SECRET = "whsec_cmVwbGljYXRlLWNvbXBhdGlibGUtbG9jYWwtc2VjcmV0";
    static final String DEVELOPMENT_REPLICATE_TOKEN = "r8_local_development_token";
    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final Logger PLATFORM_LOG = Logger.getLogger("com.genplatform");

    public record Options(int port, int replicatePort, Path data, List<String> users, Duration providerLatency,
                   double providerFailureRate, String localProviderMode, Path providerKeys, boolean enforceIam) {

        static Options parse(String[] args) {
            int port = 3000;
            int replicatePort = 0;
            Path data = Path.of(".local-data");
            List<String> users = List.of("dev");
            Duration latency = Duration.ofMillis(1500);
            double failureRate = 0;
            String mode = "sync";
            Path providerKeys = null;
            boolean iam = true;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--port" -> port = port(value(args, ++i, arg), arg);
                    case "--replicate-port" -> replicatePort = port(value(args, ++i, arg), arg);
                    case "--data" -> data = Path.of(value(args, ++i, arg));
                    case "--in-memory" -> data = null;
                    case "--users" -> users = List.of(value(args, ++i, arg).split(","));
                    case "--provider-latency" -> latency = Duration.ofMillis(number(value(args, ++i, arg), arg, 0, 600_000));
                    case "--provider-failure-rate" -> failureRate = rate(value(args, ++i, arg));
                    case "--local-provider-mode" -> mode = value(args, ++i, arg);
                    case "--provider-keys" -> providerKeys = Path.of(value(args, ++i, arg));
                    case "--no-iam" -> iam = false;
                    case "-h", "--help" -> throw new IllegalArgumentException("");
                    default -> throw new IllegalArgumentException("unknown option " + arg + " (infra/run-local --help lists them)");
                }
            }
            if (!List.of("sync", "webhook", "poll").contains(mode)) {
                throw new IllegalArgumentException("--local-provider-mode is sync, webhook or poll (got " + mode + ")");
            }
            if (users.stream().anyMatch(u -> u.isBlank())) throw new IllegalArgumentException("--users takes names separated by commas, e.g. alice,bob");
            if (providerKeys != null && !Files.isReadable(providerKeys)) {
                throw new IllegalArgumentException("--provider-keys " + providerKeys + ": no such readable file");
            }
            return new Options(port, replicatePort, data, users, latency, failureRate, mode, providerKeys, iam);
        }

        private static int port(String text, String option) {
            return (int) number(text, option, 0, 65_535);
        }

        private static long number(String text, String option, long min, long max) {
            try {
                long value = Long.parseLong(text.strip());
                if (value >= min && value <= max) return value;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " takes a whole number from " + min + " to " + max + " (got " + text + ")");
        }

        private static double rate(String text) {
            try {
                double value = Double.parseDouble(text.strip());
                if (value >= 0 && value <= 1) return value;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--provider-failure-rate is a share from 0 to 1, e.g. 0.2 (got " + text + ")");
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
            return args[i];
        }
    }

    static final String USAGE = """
            Usage: infra/run-local [options]
              --port N                     HTTP API port (default 3000)
              --data DIR                   keep tables, results and queued messages in DIR (default .local-data)
              --in-memory                  keep nothing between runs
              --users a,b                  issue one API key per named user (default: dev)
              --provider-latency MS        how long the Replicate-compatible provider and the local provider take (default 1500)
              --provider-failure-rate F    share of Replicate-compatible predictions that fail, 0..1 (default 0)
              --replicate-port N           port of the Replicate-compatible provider (default: any free port)
              --local-provider-mode M      how the built-in local provider answers: sync, webhook or poll (default sync)
              --provider-keys FILE         serve FILE (JSON, e.g. {"OPENAI_API_KEY": "sk-..."}) as the ProviderKeysSecret
                                           secret through local Secrets Manager, read by the functions as on AWS
              --no-iam                     do not check the functions' AWS calls against their roles in template.yaml
            """;

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        quietLogging();
        Consumer<String> log = line -> System.out.println(LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + " " + line);
        var started = System.nanoTime();
        Running running;
        try {
            running = start(options, log);
        } catch (StartException e) {
            System.err.println("infra/run-local: " + e.getMessage());
            System.exit(1);
            return;
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping...");
            running.close();
            stopped.countDown();
        }));
        System.out.println("API: " + running.apiUrl());
        System.out.println("Replicate-compatible provider: " + running.replicate().baseUrl() + " (API token: " + DEVELOPMENT_REPLICATE_TOKEN
                + ", webhook secret: " + running.replicateWebhookSecret() + ")");
        System.out.println(options.enforceIam()
                ? "IAM: enforced; each function's AWS calls are checked against its role in template.yaml (--no-iam turns this off)"
                : "IAM: NOT enforced (--no-iam); a call a function's role does not allow succeeds here but fails on AWS");
        if (options.providerKeys() != null) {
            System.out.println("Provider keys: " + options.providerKeys() + ", served as the secret " + PROVIDER_KEYS_SECRET_NAME + " by local Secrets Manager");
        }
        running.apiKeys().forEach((user, key) -> System.out.println("API key for " + user + ": " + key));
        System.out.println("Data: " + (options.data() == null ? "in memory (nothing kept)" : options.data().toAbsolutePath())
                + ". Started in " + (System.nanoTime() - started) / 1_000_000 + " ms. Ctrl-C stops.");
        stopped.await();
    }

    /** Everything run-local runs, started; close() stops it all. */
    public record Running(LocalAws aws, ReplicateCompatibleServer replicate, LocalStack stack, HttpApiServer api,
                          Map<String, String> apiKeys, String replicateWebhookSecret) implements AutoCloseable {
        public String apiUrl() {
            return "http://127.0.0.1:" + api.port() + "/api/v3";
        }

        @Override
        public void close() {
            try {
                java.nio.file.Files.deleteIfExists(STATE);
            } catch (java.io.IOException ignored) {
                // a stale file is detected by its pid anyway
            }
            api.close();
            stack.close();
            replicate.close();
            aws.close();
        }
    }

    /** A start that cannot go on, with one line saying what to do. */
    static final class StartException extends RuntimeException {
        StartException(String message) {
            super(message);
        }
    }

    /** The name run-local gives the provider-keys secret it serves from {@code --provider-keys}. */
    static final String PROVIDER_KEYS_SECRET_NAME = "generation-platform-local/provider-keys";

    public static Running start(Options options, Consumer<String> log) throws java.io.IOException {
        int port = options.port() != 0 ? options.port() : freePort();
        requireFreePort(port);
        LocalAws.Settings settings = LocalAws.Settings.inMemory().withIam(options.enforceIam())
                .withData(options.data() == null ? null : writableDirectory(options.data()));
        Map<String, String> keysInSecret = Map.of();
        if (options.providerKeys() != null) {
            String json = java.nio.file.Files.readString(options.providerKeys());
            keysInSecret = providerKeys(json, options.providerKeys());
            settings = settings.withProviderKeys(PROVIDER_KEYS_SECRET_NAME, json);
        }
        var aws = LocalAws.start(SamTemplate.locate(), settings);
        ReplicateCompatibleServer replicate = null;
        LocalStack stack = null;
        HttpApiServer api = null;
        try {
            String secret = keysInSecret.getOrDefault("REPLICATE_WEBHOOK_SECRET",
                    System.getenv().getOrDefault("REPLICATE_WEBHOOK_SECRET", DEVELOPMENT_REPLICATE_SECRET));
            replicate = new ReplicateCompatibleServer(options.replicatePort(), new ReplicateCompatibleServer.Options(
                    DEVELOPMENT_REPLICATE_TOKEN, secret, options.providerLatency(), options.providerFailureRate(), false), log);

            Map<String, String> overrides = new LinkedHashMap<>();
            overrides.put("WEBHOOK_BASE_URL", "http://127.0.0.1:" + port + "/api/v3/webhooks");
            if (!keysInSecret.containsKey("REPLICATE_API_TOKEN")) {
                // Replicate is the local compatible server unless the secret names a real token.
                overrides.put("REPLICATE_API_TOKEN", DEVELOPMENT_REPLICATE_TOKEN);
                overrides.put("REPLICATE_BASE_URL", replicate.baseUrl().toString());
                overrides.put("REPLICATE_WEBHOOK_SECRET", secret);
            }
            overrides.put("LOCAL_PROVIDER_MODE", options.localProviderMode());
            overrides.put("LOCAL_PROVIDER_LATENCY_MS", Long.toString(options.providerLatency().toMillis()));
            overrides.put("LOCAL_PROVIDER_SENDS_WEBHOOKS", "true");
            overrides.put("FIRST_POLL_SECONDS", "1");
            overrides.put("WEBHOOK_SAFETY_NET_SECONDS", "60");
            overrides.putAll(providerSettings(System.getenv()));
            stack = new LocalStack(aws, overrides, LocalStack.Limits.aws(), log);
            api = new HttpApiServer(port, stack.router(), log);
            stack.startPolling();
            Map<String, String> keys = new LinkedHashMap<>();
            for (String user : options.users()) {
                keys.put(user.strip(), stack.issueApiKey(user.strip()));
            }
            writeState(stack);
            return new Running(aws, replicate, stack, api, keys, secret);
        } catch (IOException | RuntimeException e) {
            // Nothing half-started outlives a failed start.
            for (AutoCloseable part : new AutoCloseable[] {api, stack, replicate, aws}) {
                try {
                    if (part != null) part.close();
                } catch (Exception ignored) {
                    // closing the rest anyway
                }
            }
            throw e;
        }
    }

    /** The provider-keys file: a JSON object of strings, as the ProviderKeysSecret holds on AWS. */
    static Map<String, String> providerKeys(String json, Path file) {
        com.fasterxml.jackson.databind.JsonNode keys;
        try {
            keys = com.genplatform.core.Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            keys = null;
        }
        if (keys == null || !keys.isObject()) {
            throw new StartException("--provider-keys " + file + " must hold a JSON object, e.g. {\"OPENAI_API_KEY\": \"sk-...\"}");
        }
        Map<String, String> result = new LinkedHashMap<>();
        keys.properties().forEach(e -> result.put(e.getKey(), e.getValue().asText()));
        return result;
    }

    private static void requireFreePort(int port) {
        try (var socket = new java.net.ServerSocket(port, 0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (java.io.IOException e) {
            throw new StartException("port " + port + " is in use (another run-local?): stop what uses it, or pass --port N");
        }
    }

    private static Path writableDirectory(Path directory) {
        try {
            Path absolute = java.nio.file.Files.createDirectories(directory.toAbsolutePath());
            if (!java.nio.file.Files.isWritable(absolute)) throw new java.io.IOException("not writable");
            return absolute;
        } catch (java.io.IOException e) {
            throw new StartException("--data " + directory + " cannot be used as a data directory (" + e.getMessage()
                    + "): pass a writable folder, or --in-memory");
        }
    }

    /**
     * Provider keys and settings from the launcher's own environment ({@code OPENAI_API_KEY=... infra/run-local}
     * offers OpenAI). A real {@code REPLICATE_API_TOKEN} switches Replicate from the local compatible server to
     * the real API, which then polls (it cannot call back to this machine).
     */
    static Map<String, String> providerSettings(Map<String, String> env) {
        Map<String, String> settings = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name.matches("(REPLICATE|OPENAI|STABILITY|ELEVENLABS|RUNWAY|RUNWAYML|DEFAULT_PROVIDER)_[A-Z_]+") && !value.isBlank()) {
                settings.put(name, value);
            }
        });
        if (settings.containsKey("REPLICATE_API_TOKEN")) {
            settings.putIfAbsent("REPLICATE_BASE_URL", "https://api.replicate.com/v1");
            settings.putIfAbsent("REPLICATE_WEBHOOKS", "false");
        }
        return settings;
    }

    /** Where infra/invoke finds a running local stack: each function's environment, endpoints included. */
    static final Path STATE = Path.of(".local-data", "run-local.json");

    private static void writeState(LocalStack stack) throws java.io.IOException {
        var functions = com.genplatform.core.Json.MAPPER.createObjectNode();
        for (String id : stack.functions().definitions().keySet()) {
            functions.set(id, com.genplatform.core.Json.MAPPER.valueToTree(stack.environment(id)));
        }
        java.nio.file.Files.createDirectories(STATE.getParent());
        var state = com.genplatform.core.Json.MAPPER.createObjectNode().put("pid", ProcessHandle.current().pid())
                // The emulator itself, for infra/invoke's preparation of sample events (an operator's access, not a function's).
                .put("dynamodb_endpoint", stack.aws().dynamoDbEndpoint().toString());
        state.set("functions", functions);
        java.nio.file.Files.writeString(STATE, state.toPrettyString());
    }

    private static int freePort() throws java.io.IOException {
        try (var socket = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Emulator chatter off; the platform's own task transitions on, one line each. */
    private static void quietLogging() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (var handler : root.getHandlers()) handler.setLevel(Level.INFO);
        PLATFORM_LOG.setLevel(Level.INFO);
    }
}
