package com.genplatform.runtime;

import com.genplatform.aws.AwsClients;
import com.genplatform.aws.DynamoApiKeyStore;
import com.genplatform.aws.DynamoIdempotencyStore;
import com.genplatform.aws.DynamoTaskStore;
import com.genplatform.aws.ProviderKeys;
import com.genplatform.aws.S3ContentStore;
import com.genplatform.aws.SqsTaskQueue;
import com.genplatform.core.config.PlatformConfig;
import com.genplatform.core.port.ApiKeyStore;
import com.genplatform.core.port.TaskStore;
import com.genplatform.core.provider.ProviderRegistry;
import com.genplatform.core.service.TaskFinalizer;
import com.genplatform.core.service.TaskLimits;
import com.genplatform.core.service.TaskProcessor;
import com.genplatform.core.service.TaskService;
import com.genplatform.core.service.TaskSweeper;
import com.genplatform.core.service.WebhookService;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How each function is composed from its environment: one method per function, each building only what
 * that function calls, so no function pays another's cold start or needs another's permissions. SDK
 * clients are built when first asked for. Only the functions that call providers (API, workers, webhook)
 * get providers, and their keys are read on first use, never here ({@link RefreshingProviders}).
 */
public final class Wiring {
    /** How long provider keys read from the secret are used before it is read again. */
    public static final String PROVIDER_KEYS_TTL_SECONDS = "PROVIDER_KEYS_TTL_SECONDS";
    private static final Clock CLOCK = Clock.systemUTC();

    private Wiring() {}

    /** The authorizer: the API-keys table, nothing else (no S3, SQS, providers or secrets). */
    public static ApiKeyStore authorizer(Map<String, String> env) {
        var config = PlatformConfig.fromEnvironment(env);
        return new DynamoApiKeyStore(new AwsClients(config).dynamoDb(), config.apiKeysTable(), CLOCK);
    }

    /** What the task API calls: the task service, plus the tasks table and the providers its health check reports. */
    public record Api(TaskService tasks, TaskStore store, Supplier<ProviderRegistry> providers) {}

    public static Api api(Map<String, String> env) {
        var config = PlatformConfig.fromEnvironment(env);
        var clients = new AwsClients(config);
        var store = tasks(config, clients);
        var providers = providers(env, clients);
        var service = new TaskService(store, new SqsTaskQueue(clients.sqs(), config.queueUrls()),
                new S3ContentStore(clients::s3, clients::presigner, config.resultsBucket()), providers,
                new DynamoIdempotencyStore(clients.dynamoDb(), config.idempotencyTable(), CLOCK), CLOCK,
                config.resultUrlExpiry());
        return new Api(service, store, providers);
    }

    /** What an engine's worker calls: the processor, and its queue to delay a retry's redelivery. */
    public record Worker(TaskProcessor processor, SqsTaskQueue queue) {}

    public static Worker worker(Map<String, String> env) {
        var config = PlatformConfig.fromEnvironment(env);
        var clients = new AwsClients(config);
        var store = tasks(config, clients);
        var queue = new SqsTaskQueue(clients.sqs(), config.queueUrls());
        var settings = new TaskProcessor.Settings(
                whole(env, "MAX_RECEIVE_COUNT", 5),
                Duration.ofSeconds(whole(env, "WORKER_TIMEOUT_SECONDS", 120)),
                Duration.ofSeconds(whole(env, "WEBHOOK_SAFETY_NET_SECONDS", 600)),
                Duration.ofSeconds(whole(env, "FIRST_POLL_SECONDS", 5)),
                Duration.ofSeconds(whole(env, "MAX_POLL_SECONDS", 120)),
                TaskProcessor.Settings.maxProcessing(env),
                env.getOrDefault("WEBHOOK_BASE_URL", "http://127.0.0.1:3000/api/v3/webhooks"));
        var processor = new TaskProcessor(store, queue, providers(env, clients), finalizer(config, clients, store), CLOCK, settings,
                limits(env));
        return new Worker(processor, queue);
    }

    /** The webhook: tasks and deliveries tables, results bucket (uploads only) and providers (to verify callbacks). */
    public static WebhookService webhook(Map<String, String> env) {
        var config = PlatformConfig.fromEnvironment(env);
        var clients = new AwsClients(config);
        var store = tasks(config, clients);
        return new WebhookService(store, providers(env, clients), finalizer(config, clients, store),
                new DynamoIdempotencyStore(clients.dynamoDb(), config.idempotencyTable(), CLOCK));
    }

    /** The sweeper: the tasks table and the queues; it never calls a provider. */
    public static TaskSweeper sweeper(Map<String, String> env) {
        var config = PlatformConfig.fromEnvironment(env);
        var clients = new AwsClients(config);
        return new TaskSweeper(tasks(config, clients), new SqsTaskQueue(clients.sqs(), config.queueUrls()), CLOCK,
                Duration.ofMinutes(whole(env, "SWEEP_STALE_AFTER_MINUTES", 20)), limits(env));
    }

    /**
     * The caps that end a poison task, the same for the workers and the sweeper: {@code MAX_ATTEMPTS} starts
     * (default 10, two rounds of the queues' 5 receives, counted over sweeper revivals too) and
     * {@code MAX_TASK_AGE_MINUTES} from submission (default 240: past the 60 minutes a provider may take, with
     * room for backoffs and a revival or two).
     */
    private static TaskLimits limits(Map<String, String> env) {
        return new TaskLimits(whole(env, "MAX_ATTEMPTS", 10), Duration.ofMinutes(whole(env, "MAX_TASK_AGE_MINUTES", 240)));
    }

    private static TaskStore tasks(PlatformConfig config, AwsClients clients) {
        return new DynamoTaskStore(clients.dynamoDb(), config.tasksTable(), config.taskRetention());
    }

    private static TaskFinalizer finalizer(PlatformConfig config, AwsClients clients, TaskStore store) {
        return new TaskFinalizer(store, new S3ContentStore(clients::s3, clients::presigner, config.resultsBucket()), CLOCK);
    }

    private static Supplier<ProviderRegistry> providers(Map<String, String> env, AwsClients clients) {
        return new RefreshingProviders(env, ProviderKeys.secretsManager(clients),
                Duration.ofSeconds(whole(env, PROVIDER_KEYS_TTL_SECONDS, 300)), CLOCK);
    }

    private static int whole(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a whole number (got " + value + ")");
        }
    }
}
