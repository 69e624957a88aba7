package com.genplatform.core.service;

import com.genplatform.core.Task;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.port.TaskMessage;
import com.genplatform.core.port.TaskQueue;
import com.genplatform.core.port.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * Revives unfinished tasks nobody has touched for a while: one whose queue message was never sent (a crash
 * between storing it and queueing it) or was lost, or whose delayed check went missing. A pending task gets
 * a new run message, a task waiting on its provider a new check. Messages already in flight make this a
 * duplicate at worst, which the conditional claim and the terminal-state checks make harmless.
 */
public final class TaskSweeper {
    private static final Logger LOG = Logger.getLogger(TaskSweeper.class.getName());

    private final TaskStore store;
    private final TaskQueue queue;
    private final Clock clock;
    private final Duration staleAfter;

    /** @param staleAfter longer than any wait the flow itself schedules (checks are delayed at most 15 minutes) */
    public TaskSweeper(TaskStore store, TaskQueue queue, Clock clock, Duration staleAfter) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
        this.staleAfter = staleAfter;
    }

    /** Re-queues up to {@code limit} stale tasks; returns them. */
    public List<Task> sweep(int limit) {
        List<Task> stale = store.unfinishedSince(clock.instant().minus(staleAfter), limit);
        for (Task task : stale) {
            TaskMessage message = task.status() == TaskStatus.PROCESSING && task.providerTaskId() != null
                    ? TaskMessage.check(task.id(), task.engine(), 0)
                    : TaskMessage.run(task.id(), task.engine());
            queue.send(message, Duration.ZERO);
            LOG.info(() -> "task " + task.id() + " (" + task.status().wireName() + ") untouched since " + task.updatedAt()
                    + ": queued a " + message.action().wireName() + " again");
        }
        return stale;
    }
}
