package com.genplatform.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.genplatform.aws.SqsTaskQueue;
import com.genplatform.core.port.TaskMessage;
import com.genplatform.core.service.TaskProcessor;
import com.genplatform.runtime.Wiring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An engine's worker (the Image, Video, Audio and Prompt worker functions share this class). Each message
 * is handled on its own and reported as a partial batch failure when it must come back, so one bad message
 * never re-runs the rest of its batch. A retry's delay is set on the message's visibility timeout. Records
 * not started before the function's deadline are handed back unstarted, so a slow batch never times out.
 */
public final class WorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = Logger.getLogger(WorkerHandler.class.getName());

    /** Time kept for answering after the last record, and the least any record is expected to take. */
    private static final long MIN_RESERVE_MILLIS = 1_000;

    private final TaskProcessor processor;
    private final SqsTaskQueue queue;

    public WorkerHandler() {
        this(System.getenv());
    }

    public WorkerHandler(Map<String, String> env) {
        this(Wiring.worker(env));
    }

    public WorkerHandler(Wiring.Worker worker) {
        this.processor = worker.processor();
        this.queue = worker.queue();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        long longestMillis = 0;
        boolean started = false;
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            // A record is started only if one more as long as the longest yet still fits before the Timeout:
            // past it Lambda ends the invocation and the whole batch comes back, the finished records included.
            if (started && context != null && context.getRemainingTimeInMillis() < Math.max(longestMillis, MIN_RESERVE_MILLIS)) {
                handBack(record);
                failures.add(failure(record));
                continue;
            }
            started = true;
            long start = System.nanoTime();
            if (!handle(record)) failures.add(failure(record));
            longestMillis = Math.max(longestMillis, (System.nanoTime() - start) / 1_000_000);
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private static SQSBatchResponse.BatchItemFailure failure(SQSEvent.SQSMessage record) {
        return SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(record.getMessageId()).build();
    }

    /** An unstarted record is made visible at once, for the next invocation, not after the full visibility timeout. */
    private void handBack(SQSEvent.SQSMessage record) {
        try {
            queue.redeliverAfter(TaskMessage.fromJson(record.getBody()).engine(), record.getReceiptHandle(), Duration.ZERO);
        } catch (RuntimeException e) {
            // Not a task message, or the queue refused: it still comes back after its visibility timeout.
            LOG.log(Level.FINE, "could not hand back message " + record.getMessageId() + " at once", e);
        }
    }

    /** Whether the message is done with (true) or must be delivered again (false). */
    private boolean handle(SQSEvent.SQSMessage record) {
        TaskMessage message;
        try {
            message = TaskMessage.fromJson(record.getBody());
        } catch (IllegalArgumentException e) {
            // Never ours to process: left to fail its receives and land in the DLQ for a person to look at.
            LOG.warning("message " + record.getMessageId() + " is not a task message; it will go to the dead-letter queue");
            return false;
        }
        try {
            int receiveCount = Integer.parseInt(record.getAttributes() == null ? "1"
                    : record.getAttributes().getOrDefault("ApproximateReceiveCount", "1"));
            return switch (processor.handle(message, receiveCount)) {
                case TaskProcessor.Outcome.Settled settled -> true;
                case TaskProcessor.Outcome.RetryAfter retry -> {
                    delayRedelivery(message, record, retry.delay());
                    yield false;
                }
            };
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "task " + message.taskId() + " (" + message.action().wireName() + ") failed; it will be retried", e);
            return false;
        }
    }

    private void delayRedelivery(TaskMessage message, SQSEvent.SQSMessage record, Duration delay) {
        try {
            queue.redeliverAfter(message.engine(), record.getReceiptHandle(), delay);
        } catch (RuntimeException e) {
            // The message still comes back, only after the queue's full visibility timeout.
            LOG.log(Level.WARNING, "could not shorten the retry delay of task " + message.taskId(), e);
        }
    }
}
