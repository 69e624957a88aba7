package com.genplatform.core.service;

import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.TaskUpdates;
import com.genplatform.core.port.TaskMessage;
import com.genplatform.core.port.TaskQueue;
import com.genplatform.core.port.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Revives unfinished tasks nobody has touched for a while: one whose queue message was never sent (a crash
 * between storing it and queueing it) or was lost, or whose delayed check went missing. A pending task gets
 * a new run message, a task waiting on its provider a new check. Messages already in flight make this a
 * duplicate at worst, which the conditional claim and the terminal-state checks make harmless.
 *
 * <p>A stale task past its {@link TaskLimits} is failed here instead (older than the maximum age, or out of
 * attempts with none in flight at a provider), so the sweeper never revives a poison task. The sweeper never
 * calls a provider; a task it fails for its age has been past the worker's processing time, where its checks
 * cancel it at the provider, for hours.
 */
public final class TaskSweeper {
    private static final Logger LOG = Logger.getLogger(TaskSweeper.class.getName());

    /** What one sweep did: the tasks queued again and the tasks failed for their limits. */
    public record Sweep(List<Task> requeued, List<Task> failed) {}

    private final TaskStore store;
    private final TaskUpdates updates;
    private final TaskQueue queue;
    private final Clock clock;
    private final Duration staleAfter;
    private final TaskLimits limits;

    /** @param staleAfter longer than any wait the flow itself schedules (checks are delayed at most 15 minutes) */
    public TaskSweeper(TaskStore store, TaskQueue queue, Clock clock, Duration staleAfter, TaskLimits limits) {
        this.store = store;
        this.updates = new TaskUpdates(store);
        this.queue = queue;
        this.clock = clock;
        this.staleAfter = staleAfter;
        this.limits = limits;
    }

    /** Re-queues, or fails past their limits, up to {@code limit} stale tasks. */
    public Sweep sweep(int limit) {
        Instant now = clock.instant();
        List<Task> requeued = new ArrayList<>();
        List<Task> failed = new ArrayList<>();
        for (Task task : store.unfinishedSince(now.minus(staleAfter), limit)) {
            boolean atProvider = task.status() == TaskStatus.PROCESSING && task.providerTaskId() != null;
            TaskError why = limits.expired(task, now);
            if (why == null && !atProvider) why = limits.exhausted(task);
            if (why != null) {
                TaskError reason = why;
                // Only the version seen stale: a task something moved meanwhile is left to what moved it.
                var outcome = updates.apply(task.id(), t -> t.version() != task.version() ? t : t.fail(reason, now));
                if (outcome.changed()) failed.add(outcome.task());
                continue;
            }
            TaskMessage message = atProvider
                    ? TaskMessage.check(task.id(), task.engine(), 0)
                    : TaskMessage.run(task.id(), task.engine());
            queue.send(message, Duration.ZERO);
            requeued.add(task);
            LOG.info(() -> "task " + task.id() + " (" + task.status().wireName() + ") untouched since " + task.updatedAt()
                    + ": queued a " + message.action().wireName() + " again");
        }
        return new Sweep(List.copyOf(requeued), List.copyOf(failed));
    }
}
