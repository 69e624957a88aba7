package com.genplatform.core.service;

import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.TaskUpdates;
import com.genplatform.core.port.TaskMessage;
import com.genplatform.core.port.TaskQueue;
import com.genplatform.core.port.TaskStore;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.ProviderException;
import com.genplatform.core.provider.ProviderRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What an engine's worker does with one queue message. {@code run}: claim the task, start it at its
 * provider, and follow the provider's answer (store the outputs now; wait for a webhook with a delayed
 * safety-net check; or poll through delayed check messages). {@code check}: ask the provider again.
 * Retryable provider errors put the message back with a backoff; the last allowed delivery fails the task
 * and lets the message go on to the dead-letter queue. An attempt that fails inside the platform (storing
 * the outputs the provider made, say) releases its claim and comes back with the same backoff. Every start
 * counts towards {@link TaskLimits}: past its attempts or its age a task fails instead of running again.
 */
public final class TaskProcessor {
    private static final Logger LOG = Logger.getLogger(TaskProcessor.class.getName());

    /**
     * @param maxReceives       the queue's maxReceiveCount: the delivery that reaches it is the last attempt
     * @param staleAfter        a claim older than this (the worker's timeout) belonged to a crashed attempt
     * @param webhookSafetyNet  when to check a webhook task anyway, in case its callback is lost
     * @param firstPoll         the first poll delay; it doubles per check up to {@code maxPoll}
     * @param maxProcessing     a task still unfinished after this long fails with {@code timeout}
     * @param callbackBaseUrl   the webhook route's URL, {@code .../api/v3/webhooks}
     */
    public record Settings(int maxReceives, Duration staleAfter, Duration webhookSafetyNet, Duration firstPoll,
                           Duration maxPoll, Duration maxProcessing, String callbackBaseUrl) {
        /**
         * {@code MAX_PROCESSING_MINUTES} (default 60): one setting for our deadline and the one a provider is
         * told (Replicate's {@code Cancel-After}), so the provider never stops a task before we would.
         */
        public static Duration maxProcessing(java.util.Map<String, String> env) {
            String value = env.get("MAX_PROCESSING_MINUTES");
            if (value == null || value.isBlank()) return Duration.ofMinutes(60);
            try {
                return Duration.ofMinutes(Integer.parseInt(value.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("MAX_PROCESSING_MINUTES must be a whole number (got " + value + ")");
            }
        }
    }

    /** How the worker should settle the message. */
    public sealed interface Outcome {
        /** Delete the message: the work is done or nothing is left to do. */
        record Settled() implements Outcome {}

        /** Leave the message to be delivered again after {@code delay}. */
        record RetryAfter(Duration delay) implements Outcome {}
    }

    private final TaskStore store;
    private final TaskQueue queue;
    private final Supplier<ProviderRegistry> providers;
    private final TaskFinalizer finalizer;
    private final TaskUpdates updates;
    private final Clock clock;
    private final Settings settings;
    private final TaskLimits limits;

    /** @param providers asked per message: their keys load lazily and may rotate */
    public TaskProcessor(TaskStore store, TaskQueue queue, Supplier<ProviderRegistry> providers, TaskFinalizer finalizer,
                         Clock clock, Settings settings, TaskLimits limits) {
        this.store = store;
        this.queue = queue;
        this.providers = providers;
        this.finalizer = finalizer;
        this.updates = new TaskUpdates(store);
        this.clock = clock;
        this.settings = settings;
        this.limits = limits;
    }

    public Outcome handle(TaskMessage message, int receiveCount) {
        Task task = store.find(message.taskId()).orElse(null);
        if (task == null || task.isTerminal()) {
            return new Outcome.Settled(); // canceled, finished, or expired: nothing to do
        }
        TaskError tooOld = limits.expired(task, clock.instant());
        if (tooOld != null) {
            // Checked before anything that may fail (the providers' keys included), so nothing can keep it alive.
            stopAtProvider(finalizer.apply(task, new ProviderAnswer.Failed(tooOld)));
            return new Outcome.Settled();
        }
        ProviderRegistry registry = providers.get();
        GenerationProvider provider = registry.find(task.provider()).orElse(null);
        if (provider == null) {
            // Accepted at submit, but its key is not set here (removed since, or this worker's environment
            // differs): retrying cannot help, so the task fails with a code that says why.
            String why = registry.whyUnavailable(task.provider());
            LOG.warning(() -> "task " + task.id() + ": " + why);
            finalizer.apply(task, new ProviderAnswer.Failed(new TaskError(TaskError.PROVIDER_NOT_CONFIGURED,
                    "The worker cannot run this task: " + why + ".")));
            return new Outcome.Settled();
        }
        try {
            return switch (message.action()) {
                case RUN -> run(task, provider, receiveCount);
                case CHECK -> check(task, provider, message.check());
            };
        } catch (ProviderException e) {
            if (!e.retryable()) {
                finalizer.apply(task, new ProviderAnswer.Failed(new TaskError(e.code(), e.getMessage())));
                return new Outcome.Settled();
            }
            return retry(task, e, receiveCount);
        }
    }

    private Outcome run(Task task, GenerationProvider provider, int receiveCount) {
        var claim = updates.apply(task.id(), t -> {
            if (!t.claimable(clock.instant(), settings.staleAfter())) return t;
            TaskError exhausted = limits.exhausted(t); // the previous attempts died without saying so (a Lambda timeout)
            return exhausted != null ? t.fail(exhausted, clock.instant()) : t.startAttempt(clock.instant());
        });
        if (claim.changed() && claim.task().isTerminal()) {
            return new Outcome.Settled();
        }
        if (!claim.changed()) {
            Task current = claim.task();
            if (current.status() == TaskStatus.PROCESSING && current.providerTaskId() != null) {
                // A redelivered run whose attempt the provider accepted: the worker may have died before
                // scheduling the first check, so schedule one (an extra check is harmless; a missing one strands the task).
                queue.send(TaskMessage.check(current.id(), current.engine(), 0), bounded(settings.firstPoll()));
            }
            return new Outcome.Settled(); // another delivery is working on it, or it has moved on
        }
        Task claimed = claim.task();
        try {
            return attempt(claimed, provider);
        } catch (ProviderException e) {
            throw e; // classified by the provider: handled as such
        } catch (RuntimeException e) {
            // The provider may have answered, but this attempt failed here (storing its outputs, a queue or table
            // error): it counts, and is released for the next delivery to try again, up to the cap.
            LOG.log(Level.WARNING, "task " + claimed.id() + ": attempt " + claimed.attempts() + " failed in the worker", e);
            return release(claimed, new TaskError(TaskError.WORKER_ERROR, "Attempt " + claimed.attempts()
                    + " failed in the worker (" + e.getClass().getSimpleName() + "); it will be retried."), claimed.attempts(), receiveCount, null);
        }
    }

    private Outcome attempt(Task claimed, GenerationProvider provider) {
        String callbackUrl = settings.callbackBaseUrl() + "/" + provider.name() + "?task=" + claimed.id();
        ProviderAnswer answer = provider.start(claimed, callbackUrl);
        Task after = finalizer.apply(claimed, answer);
        if (answer instanceof ProviderAnswer.Accepted accepted) {
            if (after.status() == TaskStatus.CANCELED) {
                // Canceled while start was in flight: that cancel found no provider id to stop, so stop the
                // work just created here. The stored task stays canceled; only this copy carries the id.
                stopAtProvider(claimed.withProviderTask(accepted.providerTaskId(), clock.instant()));
                return new Outcome.Settled();
            }
            Duration delay = accepted.callback() == ProviderAnswer.Callback.WEBHOOK
                    ? settings.webhookSafetyNet()
                    : firstNonNull(accepted.checkAfter(), settings.firstPoll());
            queue.send(TaskMessage.check(after.id(), after.engine(), 0), bounded(delay));
        }
        return new Outcome.Settled();
    }

    private Outcome check(Task task, GenerationProvider provider, int check) {
        if (task.providerTaskId() == null) {
            return new Outcome.Settled(); // not accepted by the provider yet: the run message owns the task
        }
        if (task.startedAt() != null && task.startedAt().plus(settings.maxProcessing()).isBefore(clock.instant())) {
            stopAtProvider(finalizer.apply(task, new ProviderAnswer.Failed(new TaskError(TaskError.TIMEOUT,
                    "The provider did not finish within " + settings.maxProcessing().toMinutes() + " minutes."))));
            return new Outcome.Settled();
        }
        ProviderAnswer answer = provider.check(task);
        if (answer instanceof ProviderAnswer.Retry retry) {
            return restart(task, retry.error());
        }
        Task after = finalizer.apply(task, answer);
        if (!after.isTerminal()) {
            queue.send(TaskMessage.check(task.id(), task.engine(), check + 1), bounded(pollDelay(check + 1)));
        }
        return new Outcome.Settled();
    }

    private Outcome retry(Task task, ProviderException e, int receiveCount) {
        if (receiveCount >= settings.maxReceives()) {
            LOG.warning(() -> "task " + task.id() + " failed after " + receiveCount + " deliveries: " + e.getMessage());
            Task failed = finalizer.apply(task, new ProviderAnswer.Failed(new TaskError(TaskError.PROVIDER_ERROR,
                    "The provider kept failing (" + receiveCount + " attempts): " + e.getMessage())));
            stopAtProvider(failed);
            return new Outcome.RetryAfter(Duration.ZERO); // one more receive moves the message to the DLQ
        }
        return release(task, new TaskError(TaskError.PROVIDER_ERROR, "Retrying after a provider error: " + e.getMessage()),
                null, receiveCount, e.retryAfter());
    }

    /**
     * The provider's task failed but a new one may succeed: drop it and send a run for a new attempt (a new
     * provider task), or fail the task with {@code retries_exhausted} once it has used all its attempts.
     */
    private Outcome restart(Task task, TaskError why) {
        var update = updates.apply(task.id(), t -> {
            if (t.isTerminal() || !task.providerTaskId().equals(t.providerTaskId())) return t; // ended, or moved on
            Task failed = t.retryLater(why, clock.instant());
            TaskError exhausted = limits.exhausted(failed);
            return exhausted != null ? t.fail(exhausted, clock.instant()) : failed;
        });
        Task after = update.task();
        if (update.changed() && !after.isTerminal()) {
            queue.send(TaskMessage.run(after.id(), after.engine()), bounded(pollDelay(after.attempts() - 1)));
        }
        return new Outcome.Settled();
    }

    /**
     * Ends a failed attempt: the task keeps {@code why} and may be claimed again after the backoff, or, when it
     * has used all its attempts, fails with {@code retries_exhausted} and is settled. A task the provider has
     * accepted meanwhile keeps its claim (its paid work is followed by checks, never started again).
     *
     * @param attempt the attempt that failed, when known: a later attempt's claim is not this one's to release
     */
    private Outcome release(Task task, TaskError why, Integer attempt, int receiveCount, Duration retryAfter) {
        Task after = updates.apply(task.id(), t -> {
            if (t.isTerminal() || t.providerTaskId() != null || t.status() != TaskStatus.PROCESSING
                    || (attempt != null && t.attempts() != attempt)) {
                return t; // ended, accepted at the provider, or another attempt's by now
            }
            Task failed = t.retryLater(why, clock.instant());
            TaskError exhausted = limits.exhausted(failed);
            return exhausted != null ? t.fail(exhausted, clock.instant()) : failed;
        }).task();
        if (after.isTerminal()) {
            return new Outcome.Settled();
        }
        Duration backoff = settings.firstPoll().multipliedBy(1L << Math.min(receiveCount - 1, 8));
        Duration delay = retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
        return new Outcome.RetryAfter(bounded(delay.compareTo(settings.maxPoll()) > 0 ? settings.maxPoll() : delay));
    }

    /** A task we gave up on may still run (and bill) at the provider: ask it to stop, best effort. */
    private void stopAtProvider(Task task) {
        if (task.providerTaskId() == null) return;
        try {
            providers.get().find(task.provider()).ifPresent(provider -> provider.cancel(task));
        } catch (RuntimeException e) {
            LOG.warning(() -> "could not cancel task " + task.id() + " at " + task.provider() + ": " + e.getMessage());
        }
    }

    private Duration pollDelay(int check) {
        Duration delay = settings.firstPoll().multipliedBy(1L << Math.min(check, 10));
        return delay.compareTo(settings.maxPoll()) > 0 ? settings.maxPoll() : delay;
    }

    private static Duration bounded(Duration delay) {
        return delay.compareTo(TaskQueue.MAX_DELAY) > 0 ? TaskQueue.MAX_DELAY : delay;
    }

    private static Duration firstNonNull(Duration a, Duration b) {
        return a != null ? a : b;
    }
}
