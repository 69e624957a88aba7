package com.genplatform.core.port;

import com.genplatform.core.Task;
import java.util.List;

/** A page of tasks and the opaque cursor of the next page (null when there is none). */
public record TaskPage(List<Task> items, String nextCursor) {
    public TaskPage {
        items = List.copyOf(items);
    }
}
