package com.genplatform.core;

import com.genplatform.core.request.GenerationRequest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A generation task. Immutable: every change returns the next version of the task, and stores write it
 * only if the stored version is still the one it was derived from (optimistic concurrency), so racing
 * workers, webhooks and cancels can never interleave their writes.
 *
 * @param progress    0..100 while processing, when the provider reports it
 * @param attempts    how many times a worker has started this task at its provider
 * @param version     incremented by every change; the condition of every conditional write
 */
public record Task(
        String id,
        String userId,
        Engine engine,
        String provider,
        String model,
        GenerationRequest request,
        TaskStatus status,
        Integer progress,
        String providerTaskId,
        int attempts,
        TaskError error,
        List<TaskOutput> outputs,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Instant updatedAt,
        long version) {

    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** A new pending task for a validated request, served by {@code provider} with {@code model}. */
    public static Task create(String id, String userId, GenerationRequest request, String provider, String model, Instant now) {
        return new Task(id, userId, request.engine(), provider, model, request, TaskStatus.PENDING, null, null, 0,
                null, List.of(), now, null, null, now, 1);
    }

    public boolean isTerminal() {
        return status.isTerminal();
    }

    /** A worker starts (or, after a crash or retryable error, restarts) the task at its provider. */
    public Task startAttempt(Instant now) {
        requireMove(TaskStatus.PROCESSING);
        return next(TaskStatus.PROCESSING, progress, null, attempts + 1, null, outputs,
                startedAt == null ? now : startedAt, null, now);
    }

    /** The provider accepted the task under its own id (kept before waiting, so paid work is never lost). */
    public Task withProviderTask(String providerTaskId, Instant now) {
        requireMove(TaskStatus.PROCESSING);
        return next(TaskStatus.PROCESSING, progress, providerTaskId, attempts, null, outputs, startedAt, null, now);
    }

    /**
     * The attempt ended in a retryable error: the task stays processing, the error tells the caller why it
     * is taking longer, and it marks the claim as released so the next delivery may start a new attempt.
     */
    public Task retryLater(TaskError lastError, Instant now) {
        requireMove(TaskStatus.PROCESSING);
        return next(TaskStatus.PROCESSING, progress, null, attempts, lastError, outputs, startedAt, null, now);
    }

    /** Whether a worker may start a (new) attempt: never started, or the last attempt ended or went stale. */
    public boolean claimable(Instant now, java.time.Duration staleAfter) {
        if (status == TaskStatus.PENDING) return true;
        if (status != TaskStatus.PROCESSING || providerTaskId != null) return false;
        return error != null || !updatedAt.plus(staleAfter).isAfter(now);
    }

    public Task withProgress(int percent, Instant now) {
        requireMove(TaskStatus.PROCESSING);
        int bounded = Math.max(0, Math.min(100, percent));
        return next(TaskStatus.PROCESSING, bounded, providerTaskId, attempts, error, outputs, startedAt, null, now);
    }

    public Task succeed(List<TaskOutput> results, Instant now) {
        requireMove(TaskStatus.SUCCEEDED);
        return next(TaskStatus.SUCCEEDED, 100, providerTaskId, attempts, null, results, startedAt, now, now);
    }

    public Task fail(TaskError failure, Instant now) {
        requireMove(TaskStatus.FAILED);
        return next(TaskStatus.FAILED, progress, providerTaskId, attempts, failure, List.of(), startedAt, now, now);
    }

    public Task cancel(Instant now) {
        requireMove(TaskStatus.CANCELED);
        return next(TaskStatus.CANCELED, progress, providerTaskId, attempts,
                new TaskError(TaskError.CANCELED, "The task was canceled."), List.of(), startedAt, now, now);
    }

    private void requireMove(TaskStatus target) {
        if (!status.canMoveTo(target)) {
            throw new IllegalStateException("task " + id + " cannot move from " + status.wireName() + " to " + target.wireName());
        }
    }

    private Task next(TaskStatus nextStatus, Integer nextProgress, String nextProviderTaskId, int nextAttempts,
                      TaskError nextError, List<TaskOutput> nextOutputs, Instant nextStartedAt, Instant nextCompletedAt,
                      Instant now) {
        return new Task(id, userId, engine, provider, model, request, nextStatus, nextProgress, nextProviderTaskId,
                nextAttempts, nextError, nextOutputs, createdAt, nextStartedAt, nextCompletedAt, now, version + 1);
    }
}
