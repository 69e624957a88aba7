package com.genplatform.local;

import com.genplatform.local.replicate.ReplicateCompatibleServer;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.SamTemplate;
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
                   double providerFailureRate, String localProviderMode) {

        static Options parse(String[] args) {
            int port = 3000;
            int replicatePort = 0;
            Path data = Path.of(".local-data");
            List<String> users = List.of("dev");
            Duration latency = Duration.ofMillis(1500);
            double failureRate = 0;
            String mode = "sync";
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
                    case "--replicate-port" -> replicatePort = Integer.parseInt(value(args, ++i, arg));
                    case "--data" -> data = Path.of(value(args, ++i, arg));
                    case "--in-memory" -> data = null;
                    case "--users" -> users = List.of(value(args, ++i, arg).split(","));
                    case "--provider-latency" -> latency = Duration.ofMillis(Long.parseLong(value(args, ++i, arg)));
                    case "--provider-failure-rate" -> failureRate = Double.parseDouble(value(args, ++i, arg));
                    case "--local-provider-mode" -> mode = value(args, ++i, arg);
                    case "-h", "--help" -> throw new IllegalArgumentException("");
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (failureRate < 0 || failureRate > 1) throw new IllegalArgumentException("--provider-failure-rate is from 0 to 1");
            return new Options(port, replicatePort, data, users, latency, failureRate, mode);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
            return args[i];
        }
    }

    static final String USAGE = """
            Usage: infra/run-local [options]
              --port N                     HTTP API port (default 3000)
              --data DIR                   keep tables and results in DIR between runs (default .local-data)
              --in-memory                  keep nothing between runs
              --users a,b                  issue one API key per named user (default: dev)
              --provider-latency MS        how long the Replicate-compatible provider and the local provider take (default 1500)
              --provider-failure-rate F    share of Replicate-compatible predictions that fail, 0..1 (default 0)
              --replicate-port N           port of the Replicate-compatible provider (default: any free port)
              --local-provider-mode M      how the built-in local provider answers: sync, webhook or poll (default sync)
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
        Running running = start(options, log);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping...");
            running.close();
            stopped.countDown();
        }));
        System.out.println("API: " + running.apiUrl());
        System.out.println("Replicate-compatible provider: " + running.replicate().baseUrl());
        running.apiKeys().forEach((user, key) -> System.out.println("API key for " + user + ": " + key));
        System.out.println("Data: " + (options.data() == null ? "in memory (nothing kept)" : options.data().toAbsolutePath())
                + ". Started in " + (System.nanoTime() - started) / 1_000_000 + " ms. Ctrl-C stops.");
        stopped.await();
    }

    /** Everything run-local runs, started; close() stops it all. */
    public record Running(LocalAws aws, ReplicateCompatibleServer replicate, LocalStack stack, HttpApiServer api,
                          Map<String, String> apiKeys) implements AutoCloseable {
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

    public static Running start(Options options, Consumer<String> log) throws java.io.IOException {
        int port = options.port() != 0 ? options.port() : freePort();
        var aws = LocalAws.start(SamTemplate.locate(), options.data() == null ? null : options.data().toAbsolutePath());
        String secret = System.getenv().getOrDefault("REPLICATE_WEBHOOK_SECRET", DEVELOPMENT_REPLICATE_SECRET);
        var replicate = new ReplicateCompatibleServer(options.replicatePort(), new ReplicateCompatibleServer.Options(
                DEVELOPMENT_REPLICATE_TOKEN, secret, options.providerLatency(), options.providerFailureRate(), false), log);

        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("WEBHOOK_BASE_URL", "http://127.0.0.1:" + port + "/api/v3/webhooks");
        overrides.put("REPLICATE_API_TOKEN", DEVELOPMENT_REPLICATE_TOKEN);
        overrides.put("REPLICATE_BASE_URL", replicate.baseUrl().toString());
        overrides.put("REPLICATE_WEBHOOK_SECRET", secret);
        overrides.put("LOCAL_PROVIDER_MODE", options.localProviderMode());
        overrides.put("LOCAL_PROVIDER_LATENCY_MS", Long.toString(options.providerLatency().toMillis()));
        overrides.put("FIRST_POLL_SECONDS", "1");
        overrides.put("WEBHOOK_SAFETY_NET_SECONDS", "60");
        overrides.putAll(providerSettings(System.getenv()));
        var stack = new LocalStack(aws, overrides, LocalStack.Limits.aws(), log);
        var api = new HttpApiServer(port, stack.router(), log);
        stack.startPolling();
        Map<String, String> keys = new LinkedHashMap<>();
        for (String user : options.users()) {
            keys.put(user.strip(), stack.issueApiKey(user.strip()));
        }
        writeState(stack);
        return new Running(aws, replicate, stack, api, keys);
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
        java.nio.file.Files.writeString(STATE, com.genplatform.core.Json.MAPPER.createObjectNode()
                .put("pid", ProcessHandle.current().pid()).set("functions", functions).toPrettyString());
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
