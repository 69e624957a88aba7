package com.genplatform.core.service;

import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import java.time.Duration;
import java.time.Instant;

/**
 * How much a task may cost before it is given up on, whatever keeps failing it (a provider, a Lambda
 * timeout, storage, a crash): at most {@code maxAttempts} starts at its provider over all its runs (queue
 * redeliveries and sweeper revivals alike), and at most {@code maxAge} from its submission. Past either,
 * the worker and the sweeper fail the task instead of running it again, so a poison task ends, once, with
 * a code that says why, rather than re-running (and re-billing) until its record expires.
 */
public record TaskLimits(int maxAttempts, Duration maxAge) {
    public TaskLimits {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1 (got " + maxAttempts + ")");
        if (maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("maxAge must be positive (got " + maxAge + ")");
    }

    /** Why {@code task} is too old to go on ({@code timeout}), or null while it may. */
    public TaskError expired(Task task, Instant now) {
        if (!task.createdAt().plus(maxAge).isBefore(now)) return null;
        return new TaskError(TaskError.TIMEOUT, "The task did not finish within " + maxAge.toMinutes()
                + " minutes of its submission" + lastError(task) + ".");
    }

    /** Why {@code task} may not be started again ({@code retries_exhausted}), or null while it may. */
    public TaskError exhausted(Task task) {
        if (task.attempts() < maxAttempts) return null;
        return new TaskError(TaskError.RETRIES_EXHAUSTED, "The task was given up on after " + task.attempts()
                + " attempts" + lastError(task) + ".");
    }

    private static String lastError(Task task) {
        return task.error() == null ? "" : "; the last error: " + task.error().message();
    }
}
