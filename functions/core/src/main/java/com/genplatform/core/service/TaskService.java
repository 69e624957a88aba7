package com.genplatform.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.core.Engine;
import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.TaskUpdates;
import com.genplatform.core.error.ErrorCode;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.error.PlatformException;
import com.genplatform.core.error.ResultUnavailableException;
import com.genplatform.core.port.ContentStore;
import com.genplatform.core.port.IdempotencyStore;
import com.genplatform.core.port.TaskMessage;
import com.genplatform.core.port.TaskPage;
import com.genplatform.core.port.TaskQuery;
import com.genplatform.core.port.TaskQueue;
import com.genplatform.core.port.TaskStore;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.core.provider.ProviderRegistry;
import com.genplatform.core.request.GenerationRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The task API's operations (the seed's engine interface: generate, get, result, cancel, list), per user. */
public final class TaskService {
    private static final Logger LOG = Logger.getLogger(TaskService.class.getName());

    /** How long an Idempotency-Key keeps answering with its first task. */
    static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    /**
     * Task ids are UUIDs. A caller's id far longer than that is bad input, named as such: looked up, it
     * would fail in the store (DynamoDB refuses keys over 2048 bytes; 256 UTF-16 chars stay under 1024).
     */
    static final int MAX_TASK_ID_LENGTH = 256;
    /** The error of a task the queue refused at submit. */
    private static final String QUEUE_UNAVAILABLE = "queue_unavailable";
    private static final java.util.regex.Pattern IDEMPOTENCY_KEY = java.util.regex.Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final TaskStore store;
    private final TaskQueue queue;
    private final IdempotencyStore idempotency;
    private final ContentStore content;
    private final Supplier<ProviderRegistry> providers;
    private final TaskUpdates updates;
    private final Clock clock;
    private final Duration resultUrlExpiry;

    /**
     * @param providers asked on each use that needs a provider (never at construction): their keys load
     *                  lazily and may rotate, and reading them may fail without affecting get, result or list
     */
    public TaskService(TaskStore store, TaskQueue queue, ContentStore content, Supplier<ProviderRegistry> providers,
                       IdempotencyStore idempotency, Clock clock, Duration resultUrlExpiry) {
        this.store = store;
        this.idempotency = idempotency;
        this.queue = queue;
        this.content = content;
        this.providers = providers;
        this.updates = new TaskUpdates(store);
        this.clock = clock;
        this.resultUrlExpiry = resultUrlExpiry;
    }

    /**
     * Validates the request, stores it as a pending task and queues it for its engine's worker. If the
     * queue cannot take it, the task is failed at once (never left pending forever) and the caller gets a
     * 503 to try again.
     */
    public Task submit(String userId, Engine engine, JsonNode body) {
        return submit(userId, engine, body, null).task();
    }

    /** A submitted task, and whether it was submitted earlier under the same Idempotency-Key. */
    public record Submission(Task task, boolean replayed) {}

    /**
     * As {@link #submit(String, Engine, JsonNode)}; with an {@code idempotencyKey}, a repeated submission
     * (a client retrying after a timeout) gets the task the first one created instead of a second task,
     * for 24 hours, concurrent repeats included. The same key with a different request is a 409. A task
     * the queue refused (answered 503) is not replayed: a retry with its key gets a new task.
     */
    public Submission submit(String userId, Engine engine, JsonNode body, String idempotencyKey) {
        GenerationRequest request = GenerationRequest.parse(engine, body);
        GenerationProvider provider = providers.get().resolve(request);
        String model = request.model() != null ? request.model() : provider.defaultModel(request);
        String id = UUID.randomUUID().toString();
        if (idempotencyKey != null) {
            if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
                throw PlatformException.validation(java.util.List.of(new com.genplatform.core.error.FieldError(
                        "Idempotency-Key", "must be 1 to 255 visible ASCII characters")));
            }
            String claim = "submit#" + userId + "#" + idempotencyKey;
            var first = idempotency.putIfAbsent(claim, id, IDEMPOTENCY_WINDOW);
            while (first.isPresent()) {
                Task earlier = store.find(first.get()).orElse(null);
                if (earlier == null) {
                    // The first submission is between claiming the key and storing its task, or stopped there:
                    // this one stores it (a concurrent first that stores it meanwhile is replayed below).
                    id = first.get();
                    break;
                }
                if (!neverQueued(earlier)) return replay(earlier, engine, request);
                // Its caller was answered 503 "try again", so the retry takes the key over for a new task.
                requireSameRequest(earlier, engine, request);
                first = idempotency.replace(claim, earlier.id(), id, IDEMPOTENCY_WINDOW);
            }
        }
        Task task = Task.create(id, userId, request, provider.name(), model, clock.instant());
        try {
            store.create(task);
        } catch (PlatformException taken) {
            // A concurrent submission with the same key stored this id first: its task is the answer.
            if (taken.code() != ErrorCode.CONFLICT || idempotencyKey == null) throw taken;
            return replay(store.find(id).orElseThrow(() -> taken), engine, request);
        }
        try {
            queue.send(TaskMessage.run(task.id(), engine), Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "queueing task " + task.id() + " failed", e);
            updates.apply(task.id(), t -> t.status() == TaskStatus.PENDING
                    ? t.fail(new TaskError(QUEUE_UNAVAILABLE, "The task could not be queued, so it was never started."), clock.instant())
                    : t);
            throw new PlatformException(ErrorCode.SERVICE_UNAVAILABLE,
                    "The task could not be queued; nothing was started. Try again shortly.");
        }
        LOG.info(() -> "task " + task.id() + " (" + engine.wireName() + ", " + task.provider() + "): submitted");
        return new Submission(task, false);
    }

    /** The task an Idempotency-Key already names, if it was for this same request (409 otherwise). */
    private static Submission replay(Task earlier, Engine engine, GenerationRequest request) {
        requireSameRequest(earlier, engine, request);
        return new Submission(earlier, true);
    }

    private static void requireSameRequest(Task earlier, Engine engine, GenerationRequest request) {
        if (earlier.engine() != engine || !earlier.request().equals(request)) {
            throw PlatformException.conflict("This Idempotency-Key was used for a different request; use a new key.");
        }
    }

    /** Failed at submit because the queue refused it: never started, and its caller was told to try again. */
    private static boolean neverQueued(Task task) {
        return task.status() == TaskStatus.FAILED && task.error() != null && QUEUE_UNAVAILABLE.equals(task.error().code());
    }

    /** The user's task; another user's task answers exactly like a missing one. */
    public Task get(String userId, String taskId) {
        if (taskId.length() > MAX_TASK_ID_LENGTH) {
            throw PlatformException.validation(List.of(new FieldError("id",
                    "must be a task id this API returned (at most " + MAX_TASK_ID_LENGTH + " characters)")));
        }
        return store.find(taskId)
                .filter(task -> task.userId().equals(userId))
                .orElseThrow(() -> PlatformException.notFound("Task " + taskId));
    }

    public TaskResult result(String userId, String taskId) {
        Task task = get(userId, taskId);
        if (task.status() != TaskStatus.SUCCEEDED) {
            throw new ResultUnavailableException(task);
        }
        Instant expiresAt = clock.instant().plus(resultUrlExpiry);
        var files = task.outputs().stream()
                .map(output -> new TaskResult.File(output, content.presignedGet(output.key(), resultUrlExpiry)))
                .toList();
        return new TaskResult(task, files, expiresAt);
    }

    /** Cancels a task that has not ended; the provider is told too when the task already runs there. */
    public Task cancel(String userId, String taskId) {
        get(userId, taskId);
        var outcome = updates.apply(taskId, t -> t.isTerminal() ? t : t.cancel(clock.instant()));
        Task task = outcome.task();
        if (!outcome.changed()) {
            throw PlatformException.conflict("Task " + taskId + " has already " + ended(task.status()) + "; it cannot be canceled.");
        }
        if (task.providerTaskId() != null) {
            try {
                providers.get().find(task.provider()).ifPresent(provider -> provider.cancel(task));
            } catch (RuntimeException e) {
                // The task is canceled for the caller either way; a late result is ignored by the finalizer.
                LOG.log(Level.WARNING, "canceling task " + taskId + " at " + task.provider() + " failed", e);
            }
        }
        return task;
    }

    public TaskPage list(TaskQuery query) {
        return store.list(query);
    }

    private static String ended(TaskStatus status) {
        return status == TaskStatus.CANCELED ? "been canceled" : status.wireName();
    }
}
