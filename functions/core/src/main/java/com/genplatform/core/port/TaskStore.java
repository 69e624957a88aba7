package com.genplatform.core.port;

import com.genplatform.core.Task;
import java.util.Optional;

/** Where tasks live. Every write is conditional, so concurrent writers never overwrite each other. */
public interface TaskStore {

    /** Stores a new task; throws a {@code conflict} PlatformException if its id is taken (never overwrites). */
    void create(Task task);

    Optional<Task> find(String taskId);

    /**
     * Writes {@code next} only if the stored task is still at version {@code next.version() - 1}.
     *
     * @return false if another writer got there first (the caller re-reads and decides again)
     */
    boolean update(Task next);

    /** A user's tasks, newest first, optionally filtered, one page at a time. */
    TaskPage list(TaskQuery query);

    /** Unfinished tasks (any user) not changed since {@code before}, oldest first, at most {@code limit}. */
    java.util.List<Task> unfinishedSince(java.time.Instant before, int limit);
}
