package com.genplatform.core.port;

import com.genplatform.core.Engine;
import com.genplatform.core.TaskStatus;

/**
 * One page of a user's task list.
 *
 * @param engine  only tasks of this engine, or null for all
 * @param status  only tasks in this status, or null for all
 * @param cursor  the {@code next_cursor} of the previous page, or null for the first page
 */
public record TaskQuery(String userId, Engine engine, TaskStatus status, int limit, String cursor) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
}
