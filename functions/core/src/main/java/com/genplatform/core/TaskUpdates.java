package com.genplatform.core;

import com.genplatform.core.error.PlatformException;
import com.genplatform.core.port.TaskStore;
import java.util.function.UnaryOperator;

/**
 * Applies a change to a stored task under optimistic concurrency: read, decide, write if still unchanged,
 * and on a lost race read again and decide again. The change returns the same task to mean "nothing to
 * do" (for example the task is already terminal), so a late or repeated event changes nothing.
 */
public final class TaskUpdates {
    private static final int MAX_RACES = 8;
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(TaskUpdates.class.getName());

    private final TaskStore store;

    public TaskUpdates(TaskStore store) {
        this.store = store;
    }

    /** The outcome: the task as stored afterwards, and whether this change was written. */
    public record Outcome(Task task, boolean changed) {}

    public Outcome apply(String taskId, UnaryOperator<Task> change) {
        for (int race = 0; race < MAX_RACES; race++) {
            Task current = store.find(taskId).orElseThrow(() -> PlatformException.notFound("Task " + taskId));
            Task next = change.apply(current);
            if (next == current) {
                return new Outcome(current, false);
            }
            if (store.update(next)) {
                if (next.status() != current.status()) {
                    LOG.info(() -> "task " + next.id() + " (" + next.engine().wireName() + ", " + next.provider() + "): "
                            + current.status().wireName() + " -> " + next.status().wireName()
                            + (next.error() == null ? "" : " [" + next.error().code() + ": " + next.error().message() + "]"));
                }
                return new Outcome(next, true);
            }
        }
        throw new IllegalStateException("task " + taskId + " kept changing under " + MAX_RACES + " attempts to update it");
    }
}
