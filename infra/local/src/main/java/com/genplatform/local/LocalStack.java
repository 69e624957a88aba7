package com.genplatform.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.genplatform.aws.DynamoApiKeyStore;
import com.genplatform.providers.local.LocalProvider;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.SamTemplate;
import com.genplatform.testsupport.SqsEventSource;
import java.time.Clock;
import java.time.Duration;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The platform of template.yaml on emulated AWS, in this JVM: its functions, each from its own jar with its
 * template environment (local endpoints filled in, plus {@code overrides}, read at each cold start), the HTTP
 * API routed to them, and each SQS event source feeding its worker. Tests drive it step by step
 * ({@link #drainQueues}); the launcher runs the pollers in the background ({@link #startPolling}).
 */
public final class LocalStack implements AutoCloseable {
    /** The event source mapping's side of the wire: the batch as the JSON Lambda sends, and the answer read back. */
    private static final PojoSerializer<SQSEvent> SQS_EVENT = LambdaEventSerializers.serializerFor(SQSEvent.class, LocalStack.class.getClassLoader());
    private static final PojoSerializer<SQSBatchResponse> BATCH_RESPONSE = JacksonFactory.getInstance().getSerializer(SQSBatchResponse.class);

    /** The AWS limits a test may shorten: a function's Timeout (by logical id) and the HTTP API's integration timeout. */
    public record Limits(Map<String, Duration> functionTimeouts, Duration integrationTimeout) {
        public static Limits aws() {
            return new Limits(Map.of(), HttpApiRouter.INTEGRATION_TIMEOUT);
        }

        public Limits withFunctionTimeout(String functionId, Duration timeout) {
            Map<String, Duration> timeouts = new LinkedHashMap<>(functionTimeouts);
            timeouts.put(functionId, timeout);
            return new Limits(Map.copyOf(timeouts), integrationTimeout);
        }

        public Limits withIntegrationTimeout(Duration timeout) {
            return new Limits(functionTimeouts, timeout);
        }
    }

    private final LocalAws aws;
    private final LocalFunctions functions;
    private final java.util.function.Function<String, Map<String, String>> environment;
    private final HttpApiRouter router;
    private final Map<String, SqsEventSource> eventSources = new LinkedHashMap<>();
    /** Each event source's long-poll wait: its batching window, at least a second. */
    private final Map<String, Duration> batchingWindows = new LinkedHashMap<>();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final List<software.amazon.awssdk.services.sqs.SqsClient> eventSourceClients = new ArrayList<>();
    private ExecutorService pollers;
    /** Each scheduled function's rate, from its {@code Schedule} events. */
    private final Map<String, Duration> schedules = new LinkedHashMap<>();
    private java.util.concurrent.ScheduledExecutorService scheduler;

    public LocalStack(LocalAws aws, Map<String, String> overrides) {
        this(aws, overrides, Limits.aws(), line -> { });
    }

    /** @param log receives one line per worker batch that fails or reports failures, for the launcher's output */
    public LocalStack(LocalAws aws, Map<String, String> overrides, Limits limits, Consumer<String> log) {
        this.aws = aws;
        SamTemplate template = aws.template();
        this.environment = id -> {
            Map<String, String> env = new LinkedHashMap<>(aws.functionEnvironment(id));
            // The local provider's public development secret is set here only, never a default on AWS.
            env.put("LOCAL_WEBHOOK_SECRET", LocalProvider.DEVELOPMENT_WEBHOOK_SECRET);
            env.putAll(overrides);
            return env;
        };
        this.functions = new LocalFunctions(template, environment, limits.functionTimeouts());
        this.router = new HttpApiRouter(template, functions, limits.integrationTimeout());
        for (var definition : functions.definitions().values()) {
            definition.events().forEach((name, value) -> {
                Map<String, Object> event = SamTemplate.map(value);
                if ("Schedule".equals(event.get("Type"))) {
                    Map<String, Object> rule = SamTemplate.map(event.get("Properties"));
                    if (rule.containsKey("Input") || rule.containsKey("State") || rule.containsKey("Enabled") || schedules.containsKey(definition.logicalId())) {
                        throw new IllegalArgumentException(definition.logicalId() + "." + name + ": only one plain Schedule per function is emulated locally");
                    }
                    schedules.put(definition.logicalId(), rate(rule.get("Schedule").toString()));
                }
                if (!"SQS".equals(event.get("Type"))) return;
                Map<String, Object> properties = SamTemplate.map(event.get("Properties"));
                String queueArnName = SamTemplate.resolve(properties.get("Queue"), n -> n);
                String queueId = queueArnName.substring(0, queueArnName.indexOf('.'));
                int batchSize = Integer.parseInt(properties.getOrDefault("BatchSize", 10).toString());
                String functionId = definition.logicalId();
                batchingWindows.put(functionId, Duration.ofSeconds(Math.max(1,
                        Integer.parseInt(properties.getOrDefault("MaximumBatchingWindowInSeconds", 1).toString()))));
                // The event source mapping acts with the function's role, as on AWS.
                var sqsAsFunction = aws.sqsAs(functionId);
                eventSourceClients.add(sqsAsFunction);
                eventSources.put(functionId, new SqsEventSource(sqsAsFunction, aws.ref(queueId), aws.lookup(queueId + ".Arn"), batchSize,
                        batch -> deliver(functionId, batch, log)));
            });
        }
    }

    /** Hands a batch to the worker as JSON; a function error (or timeout) fails the whole batch, as on Lambda. */
    private SQSBatchResponse deliver(String functionId, SQSEvent batch, Consumer<String> log) {
        var json = new ByteArrayOutputStream();
        SQS_EVENT.toJson(batch, json);
        SQSBatchResponse response;
        try {
            response = BATCH_RESPONSE.fromJson(new ByteArrayInputStream(functions.invoke(functionId, json.toByteArray())));
        } catch (RuntimeException e) {
            log.accept(functionId + ": " + e + "; its " + batch.getRecords().size() + " messages will be retried");
            throw e;
        }
        if (response != null && response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty()) {
            log.accept(functionId + ": " + response.getBatchItemFailures().size() + " of "
                    + batch.getRecords().size() + " messages will be retried");
        }
        return response;
    }

    public LocalAws aws() {
        return aws;
    }

    public LocalFunctions functions() {
        return functions;
    }

    /** The environment function {@code id} runs with here. */
    public Map<String, String> environment(String id) {
        return environment.apply(id);
    }

    public HttpApiRouter router() {
        return router;
    }

    /** A new API key for {@code user}, stored hashed in the template's API-keys table. */
    public String issueApiKey(String user) {
        return new DynamoApiKeyStore(aws.dynamoDb(), aws.ref("ApiKeysTable"), Clock.systemUTC()).issue(user);
    }

    /** Feeds every queue to its worker until all queues stay empty for {@code quiet}; returns the messages delivered. */
    public int drainQueues(Duration quiet) {
        int total = 0;
        long quietUntil = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < quietUntil) {
            int round = 0;
            for (SqsEventSource source : eventSources.values()) {
                round += source.pollOnce(Duration.ZERO);
            }
            if (round > 0) {
                total += round;
                quietUntil = System.nanoTime() + quiet.toNanos();
            } else {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return total;
    }

    /** {@code rate(5 minutes)} as EventBridge reads it (1 takes the singular unit, more the plural); cron is not emulated. */
    static Duration rate(String expression) {
        var m = java.util.regex.Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)").matcher(expression.strip());
        long n = m.matches() ? Long.parseLong(m.group(1)) : 0;
        if (n < 1 || (n == 1) != !m.group(2).endsWith("s")) {
            throw new IllegalArgumentException("the schedule " + expression + " is not valid or not emulated locally (rate(1 minute), rate(5 minutes), ...)");
        }
        return switch (m.group(2).replaceFirst("s$", "")) {
            case "minute" -> Duration.ofMinutes(n);
            case "hour" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    public Map<String, Duration> schedules() {
        return Map.copyOf(schedules);
    }

    /** Invokes every scheduled function once, as its rule would; returns each one's answer. */
    public Map<String, com.fasterxml.jackson.databind.JsonNode> fireSchedules() {
        Map<String, com.fasterxml.jackson.databind.JsonNode> answers = new LinkedHashMap<>();
        for (String functionId : schedules.keySet()) {
            try {
                answers.put(functionId, com.genplatform.core.Json.MAPPER.readTree(functions.invoke(functionId, scheduledEvent(functionId))));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return answers;
    }

    /** The event EventBridge sends for a scheduled rule. */
    private static byte[] scheduledEvent(String functionId) {
        var event = com.genplatform.core.Json.MAPPER.createObjectNode()
                .put("version", "0").put("id", java.util.UUID.randomUUID().toString())
                .put("detail-type", "Scheduled Event").put("source", "aws.events")
                .put("account", LocalAws.ACCOUNT_ID).put("time", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                .put("region", LocalAws.REGION);
        event.putArray("resources").add("arn:aws:events:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT_ID + ":rule/" + functionId + "Schedule");
        event.putObject("detail");
        return event.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Starts one poller per event source, as Lambda's event source mappings run, and each schedule's timer. */
    public void startPolling() {
        if (!polling.compareAndSet(false, true)) return;
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("schedule").factory());
        schedules.forEach((functionId, every) -> scheduler.scheduleAtFixedRate(() -> {
            try {
                functions.invoke(functionId, scheduledEvent(functionId));
            } catch (RuntimeException e) {
                // a failed scheduled run is tried again at the next tick, as EventBridge's next event would be
            }
        }, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        pollers = Executors.newFixedThreadPool(Math.max(1, eventSources.size()), Thread.ofPlatform().daemon().name("poller-", 0).factory());
        for (var entry : eventSources.entrySet()) {
            SqsEventSource source = entry.getValue();
            Duration window = batchingWindows.get(entry.getKey());
            pollers.submit(() -> {
                while (polling.get()) {
                    try {
                        source.pollOnce(window);
                    } catch (RuntimeException e) {
                        if (polling.get()) sleepQuietly();
                    }
                }
            });
        }
    }

    public List<String> workerFunctions() {
        return new ArrayList<>(eventSources.keySet());
    }

    @Override
    public void close() {
        polling.set(false);
        for (var executor : java.util.Arrays.asList(scheduler, pollers)) {
            if (executor == null) continue;
            executor.shutdownNow();
            try {
                // A batch in flight ends before the functions and the emulators under it go.
                executor.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        functions.close();
        eventSourceClients.forEach(software.amazon.awssdk.services.sqs.SqsClient::close);
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
