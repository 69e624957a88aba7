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
import com.genplatform.core.port.ContentStore;
import com.genplatform.core.port.IdempotencyStore;
import com.genplatform.core.port.TaskQueue;
import com.genplatform.core.port.TaskStore;
import com.genplatform.core.provider.ProviderRegistry;
import com.genplatform.core.service.TaskFinalizer;
import com.genplatform.core.service.TaskProcessor;
import com.genplatform.core.service.TaskService;
import com.genplatform.core.service.WebhookService;
import com.genplatform.providers.Providers;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The composition root: builds the adapters, providers and services of one function from its environment,
 * once per container. Handlers keep one in a static field (Lambda) or receive one (tests, local stack).
 */
public final class Platform {
    private final PlatformConfig config;
    private final AwsClients clients;
    private final TaskStore tasks;
    private final TaskQueue queue;
    private final ContentStore content;
    private final ApiKeyStore apiKeys;
    private final IdempotencyStore idempotency;
    private final ProviderRegistry providers;
    private final Clock clock;
    private final Map<String, String> env;

    private Platform(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.config = PlatformConfig.fromEnvironment(env);
        this.clock = Clock.systemUTC();
        var clients = new AwsClients(config);
        this.tasks = new DynamoTaskStore(clients.dynamoDb(), config.tasksTable(), config.taskRetention());
        this.queue = new SqsTaskQueue(clients.sqs(), config.queueUrls());
        this.content = new S3ContentStore(clients.s3(), clients.presigner(), config.resultsBucket());
        this.apiKeys = new DynamoApiKeyStore(clients.dynamoDb(), config.apiKeysTable(), clock);
        this.idempotency = new DynamoIdempotencyStore(clients.dynamoDb(), config.idempotencyTable(), clock);
        this.providers = Providers.fromEnvironment(ProviderKeys.withKeys(env, ProviderKeys.secretsManager(clients)));
        this.clients = clients;
    }

    public static Platform fromEnvironment(Map<String, String> env) {
        return new Platform(env);
    }

    public PlatformConfig config() {
        return config;
    }

    public AwsClients clients() {
        return clients;
    }

    public TaskStore tasks() {
        return tasks;
    }

    public ApiKeyStore apiKeys() {
        return apiKeys;
    }

    public ProviderRegistry providers() {
        return providers;
    }

    public TaskService taskService() {
        return new TaskService(tasks, queue, content, providers, idempotency, clock, config.resultUrlExpiry());
    }

    public TaskFinalizer finalizer() {
        return new TaskFinalizer(tasks, content, clock);
    }

    public TaskProcessor processor() {
        return new TaskProcessor(tasks, queue, providers, finalizer(), clock, new TaskProcessor.Settings(
                intSetting("MAX_RECEIVE_COUNT", 5),
                Duration.ofSeconds(intSetting("WORKER_TIMEOUT_SECONDS", 120)),
                Duration.ofSeconds(intSetting("WEBHOOK_SAFETY_NET_SECONDS", 600)),
                Duration.ofSeconds(intSetting("FIRST_POLL_SECONDS", 5)),
                Duration.ofSeconds(intSetting("MAX_POLL_SECONDS", 120)),
                Duration.ofMinutes(intSetting("MAX_PROCESSING_MINUTES", 60)),
                env.getOrDefault("WEBHOOK_BASE_URL", "http://127.0.0.1:3000/api/v3/webhooks")));
    }

    public com.genplatform.core.service.TaskSweeper sweeper() {
        return new com.genplatform.core.service.TaskSweeper(tasks, queue, clock,
                Duration.ofMinutes(intSetting("SWEEP_STALE_AFTER_MINUTES", 20)));
    }

    public WebhookService webhooks() {
        return new WebhookService(tasks, providers, finalizer(), idempotency);
    }

    private int intSetting(String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a whole number (got " + value + ")");
        }
    }
}
