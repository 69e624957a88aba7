package com.genplatform.aws;

import com.genplatform.core.Engine;
import com.genplatform.core.port.TaskMessage;
import com.genplatform.core.port.TaskQueue;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/** One SQS queue per engine; a delay (up to SQS's 15 minutes) schedules a later check. */
public final class SqsTaskQueue implements TaskQueue {
    private final SqsClient sqs;
    private final Map<Engine, String> queueUrls;

    public SqsTaskQueue(SqsClient sqs, Map<Engine, String> queueUrls) {
        this.sqs = sqs;
        this.queueUrls = Map.copyOf(queueUrls);
    }

    @Override
    public void send(TaskMessage message, Duration delay) {
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("delay must be from 0 to " + MAX_DELAY + " (got " + delay + ")");
        }
        String queueUrl = queueUrls.get(message.engine());
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(message.toJson()).delaySeconds((int) delay.toSeconds()));
    }

    /** Makes a received message of {@code engine}'s queue visible again after {@code delay} (a retry's backoff). */
    public void redeliverAfter(Engine engine, String receiptHandle, Duration delay) {
        sqs.changeMessageVisibility(b -> b.queueUrl(queueUrls.get(engine)).receiptHandle(receiptHandle)
                .visibilityTimeout((int) delay.toSeconds()));
    }
}
