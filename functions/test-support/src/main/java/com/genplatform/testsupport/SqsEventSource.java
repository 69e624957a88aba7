package com.genplatform.testsupport;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What Lambda's SQS event source mapping does, on any SQS endpoint: receive a batch, hand it to the
 * function as an {@link SQSEvent}, then delete every message except those the function reported as
 * batch item failures (those come back after their visibility timeout, and go to the DLQ after
 * maxReceiveCount receives). A function that throws fails the whole batch, as on Lambda.
 */
public final class SqsEventSource {
    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final int batchSize;
    private final Function<SQSEvent, SQSBatchResponse> function;

    public SqsEventSource(SqsClient sqs, String queueUrl, String queueArn, int batchSize,
                          Function<SQSEvent, SQSBatchResponse> function) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.batchSize = Math.clamp(batchSize, 1, 10);
        this.function = function;
    }

    /** Receives one batch (waiting up to {@code wait}) and delivers it; returns how many messages it delivered. */
    public int pollOnce(Duration wait) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(batchSize)
                .waitTimeSeconds((int) wait.toSeconds())
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty()) return 0;
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(this::record).toList());
        Set<String> failed = new HashSet<>();
        try {
            SQSBatchResponse response = function.apply(event);
            if (response != null && response.getBatchItemFailures() != null) {
                response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            }
        } catch (RuntimeException e) {
            messages.forEach(m -> failed.add(m.messageId()));
        }
        for (Message message : messages) {
            if (!failed.contains(message.messageId())) {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return messages.size();
    }

    /** Delivers until the queue has had nothing visible for {@code quiet}; returns how many messages were delivered. */
    public int drain(Duration quiet) {
        int delivered = 0;
        long quietUntil = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < quietUntil) {
            int n = pollOnce(Duration.ZERO);
            if (n > 0) {
                delivered += n;
                quietUntil = System.nanoTime() + quiet.toNanos();
            } else {
                sleep(Duration.ofMillis(50));
            }
        }
        return delivered;
    }

    private SQSEvent.SQSMessage record(Message message) {
        var record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        record.setMd5OfBody(message.md5OfBody());
        Map<String, String> attributes = new HashMap<>();
        message.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
        record.setAttributes(attributes);
        record.setMessageAttributes(Map.of());
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(queueArn);
        record.setAwsRegion(LocalAws.REGION);
        return record;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
