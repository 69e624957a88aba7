package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.aws.DynamoTaskStore;
import com.genplatform.core.Task;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.port.TaskMessage;
import com.genplatform.local.replicate.ReplicateCompatibleServer;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.LocalAwsExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Replicate down (every call 503): the task is retried with backoff, then fails, and its message lands in the DLQ. */
@ExtendWith(LocalAwsExtension.class)
class ProviderOutageTest {

    @Test
    void anOutageEndsInProviderErrorAndTheDeadLetterQueue(LocalAws aws) throws Exception {
        aws.purgeQueues();
        String secret = ReplicateCompatibleServer.newWebhookSecret();
        try (var replicate = new ReplicateCompatibleServer(0, new ReplicateCompatibleServer.Options("token", secret, Duration.ofMillis(50), 0, true), line -> { });
             var stack = new LocalStack(aws, Map.of("REPLICATE_API_TOKEN", "token", "REPLICATE_BASE_URL", replicate.baseUrl().toString(),
                     "REPLICATE_WEBHOOK_SECRET", secret, "FIRST_POLL_SECONDS", "1", "MAX_POLL_SECONDS", "2"))) {
            var client = new Client(stack.router());
            String key = stack.issueApiKey("u-" + UUID.randomUUID());
            var submitted = client.call("POST", "/api/v3/generate/prompt", "{\"prompt\": \"p\", \"provider\": \"replicate\"}", key);
            assertEquals(202, submitted.status(), submitted.json().toString());
            String id = submitted.json().get("id").asText();
            var tasks = new DynamoTaskStore(aws.dynamoDb(), aws.ref("TasksTable"), Duration.ofDays(1));

            // Deliveries come back after growing delays (1 s, 2 s, 2 s, 2 s: the visibility is set to the backoff).
            long started = System.nanoTime();
            stack.drainQueues(Duration.ofMillis(2500));
            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            Task task = tasks.find(id).orElseThrow();
            assertEquals(TaskStatus.FAILED, task.status());
            assertEquals("provider_error", task.error().code());
            assertTrue(task.error().message().contains("503"), task.error().message());
            assertEquals(5, task.attempts());
            assertTrue(seconds >= 6, "retries were spread out by backoff, not immediate: " + seconds + " s");
            var dead = aws.sqs().receiveMessage(b -> b.queueUrl(aws.ref("PromptDeadLetterQueue")).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            assertTrue(dead.stream().anyMatch(m -> TaskMessage.fromJson(m.body()).taskId().equals(id)));
        }
    }
}
