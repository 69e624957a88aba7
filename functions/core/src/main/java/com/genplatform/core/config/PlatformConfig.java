package com.genplatform.core.config;

import com.genplatform.core.Engine;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a function needs to know about its environment, read once at start from environment
 * variables (template.yaml sets them; the local stack fills in local endpoints). A missing or malformed
 * variable stops the start with one message naming all of them.
 *
 * @param endpoints  per-service endpoint overrides for emulators; empty on AWS
 * @param credentials static keys when the environment has them; empty means the runtime's own source
 */
public record PlatformConfig(
        String region,
        String tasksTable,
        String apiKeysTable,
        String idempotencyTable,
        String resultsBucket,
        Map<Engine, String> queueUrls,
        Endpoints endpoints,
        Optional<Credentials> credentials,
        Duration resultUrlExpiry,
        Duration taskRetention) {

    public static final String REGION = "AWS_REGION";
    public static final String TASKS_TABLE = "TASKS_TABLE";
    public static final String API_KEYS_TABLE = "API_KEYS_TABLE";
    public static final String IDEMPOTENCY_TABLE = "IDEMPOTENCY_TABLE";
    public static final String RESULTS_BUCKET = "RESULTS_BUCKET";
    public static final String RESULT_URL_EXPIRY_SECONDS = "RESULT_URL_EXPIRY_SECONDS";
    public static final String TASK_RETENTION_DAYS = "TASK_RETENTION_DAYS";

    /** {@code IMAGE_QUEUE_URL}, {@code VIDEO_QUEUE_URL}, ... */
    public static String queueUrlVariable(Engine engine) {
        return engine.name() + "_QUEUE_URL";
    }

    public record Endpoints(URI dynamoDb, URI sqs, URI s3, URI secretsManager) {}

    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secret=***]";
        }
    }

    public static PlatformConfig fromEnvironment(Map<String, String> env) {
        var reader = new Reader(env);
        Map<Engine, String> queues = new EnumMap<>(Engine.class);
        for (Engine engine : Engine.values()) {
            queues.put(engine, reader.required(queueUrlVariable(engine)));
        }
        var config = new PlatformConfig(
                reader.required(REGION),
                reader.required(TASKS_TABLE),
                reader.required(API_KEYS_TABLE),
                reader.required(IDEMPOTENCY_TABLE),
                reader.required(RESULTS_BUCKET),
                queues,
                new Endpoints(
                        reader.uri("AWS_ENDPOINT_URL_DYNAMODB"),
                        reader.uri("AWS_ENDPOINT_URL_SQS"),
                        reader.uri("AWS_ENDPOINT_URL_S3"),
                        reader.uri("AWS_ENDPOINT_URL_SECRETS_MANAGER")),
                Optional.ofNullable(env.get("AWS_ACCESS_KEY_ID"))
                        .filter(id -> !id.isBlank())
                        .map(id -> new Credentials(id, reader.required("AWS_SECRET_ACCESS_KEY"), env.get("AWS_SESSION_TOKEN"))),
                Duration.ofSeconds(reader.positive(RESULT_URL_EXPIRY_SECONDS, 3600)),
                Duration.ofDays(reader.positive(TASK_RETENTION_DAYS, 30)));
        reader.failIfProblems();
        return config;
    }

    public String queueUrl(Engine engine) {
        return queueUrls.get(engine);
    }

    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        String required(String name) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                problems.add(name + " is not set");
                return null;
            }
            return value.strip();
        }

        URI uri(String name) {
            String value = env.get(name);
            if (value == null || value.isBlank()) return null;
            try {
                URI uri = URI.create(value.strip());
                if (uri.getScheme() == null || uri.getHost() == null) throw new IllegalArgumentException();
                return uri;
            } catch (IllegalArgumentException e) {
                problems.add(name + " is not an absolute URL: " + value);
                return null;
            }
        }

        long positive(String name, long fallback) {
            String value = env.get(name);
            if (value == null || value.isBlank()) return fallback;
            try {
                long number = Long.parseLong(value.strip());
                if (number > 0) return number;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(name + " must be a positive whole number (got " + value + ")");
            return fallback;
        }

        void failIfProblems() {
            if (!problems.isEmpty()) {
                throw new IllegalStateException("Configuration is incomplete: " + String.join("; ", problems)
                        + ". Set these environment variables (template.yaml sets them on AWS).");
            }
        }
    }
}
