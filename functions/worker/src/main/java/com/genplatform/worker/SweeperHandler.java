package com.genplatform.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.genplatform.core.service.TaskSweeper;
import com.genplatform.runtime.Wiring;
import java.util.Map;

/**
 * Runs on a schedule: re-queues unfinished tasks that nothing has moved for a while, and fails those past
 * their limits (see TaskSweeper).
 */
public final class SweeperHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private static final int BATCH = 200;

    private final TaskSweeper sweeper;

    public SweeperHandler() {
        this(System.getenv());
    }

    public SweeperHandler(Map<String, String> env) {
        this(Wiring.sweeper(env));
    }

    public SweeperHandler(TaskSweeper sweeper) {
        this.sweeper = sweeper;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        var sweep = sweeper.sweep(BATCH);
        return Map.of("requeued", sweep.requeued().size(), "tasks", sweep.requeued().stream().map(t -> t.id()).toList(),
                "failed", sweep.failed().stream().map(t -> t.id()).toList());
    }
}
