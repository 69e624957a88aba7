package com.genplatform.core.port;

import java.time.Duration;

/** The engines' work queues: a message tells the engine's worker to run or re-check a task. */
public interface TaskQueue {
    /** The longest delay a message can have (SQS's limit). */
    Duration MAX_DELAY = Duration.ofMinutes(15);

    /** Sends {@code message} to its engine's queue, visible after {@code delay} (zero for at once). */
    void send(TaskMessage message, Duration delay);
}
