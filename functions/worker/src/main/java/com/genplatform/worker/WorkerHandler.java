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
 * never re-runs the rest of its batch. A retry's delay is set on the message's visibility timeout.
 */
public final class WorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = Logger.getLogger(WorkerHandler.class.getName());

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
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            if (!handle(record)) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(record.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
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
