package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.aws.DynamoTaskStore;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.TaskStatus;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.LocalAwsExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Lambda's and API Gateway's limits, as a caller meets them: timeouts, and payload sizes on either side. */
@ExtendWith(LocalAwsExtension.class)
class LimitsTest {
    private final LocalAws aws;
    private final DynamoTaskStore tasks;
    private LocalStack stack;

    LimitsTest(LocalAws aws) {
        this.aws = aws;
        this.tasks = new DynamoTaskStore(aws.dynamoDb(), aws.ref("TasksTable"), Duration.ofDays(1));
    }

    @BeforeEach
    void purge() {
        aws.purgeQueues();
    }

    @AfterEach
    void stop() {
        if (stack != null) stack.close();
    }

    /** The prompt queue's visibility timeout, shortened for one test (seconds instead of minutes) and put back after. */
    private AutoCloseable promptQueueVisibility(int seconds) {
        String queue = aws.ref("PromptQueue");
        String visibility = aws.sqs().getQueueAttributes(b -> b.queueUrl(queue).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                .attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT);
        aws.sqs().setQueueAttributes(b -> b.queueUrl(queue).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(seconds))));
        return () -> aws.sqs().setQueueAttributes(b -> b.queueUrl(queue).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, visibility)));
    }

    @Test
    void aWorkerPastItsTimeoutIsEndedAndItsMessageComesBackToAFreshEnvironment() throws Exception {
        // Seconds instead of minutes: a 3 s Timeout (and WORKER_TIMEOUT_SECONDS with it, as the template keeps
        // them equal) and a 5 s visibility timeout on the queue. The provider first takes longer than the Timeout.
        Map<String, String> overrides = new HashMap<>(Map.of("WORKER_TIMEOUT_SECONDS", "3", "LOCAL_PROVIDER_LATENCY_MS", "4000"));
        List<String> log = new CopyOnWriteArrayList<>();
        stack = new LocalStack(aws, overrides, LocalStack.Limits.aws().withFunctionTimeout("PromptWorkerFunction", Duration.ofSeconds(3)), log::add);
        try (var shortVisibility = promptQueueVisibility(5)) {
            var client = new Client(stack.router());
            String key = stack.issueApiKey("u-" + UUID.randomUUID());
            var submitted = client.call("POST", "/api/v3/generate/prompt", "{\"prompt\": \"a slow answer\"}", key);
            assertEquals(202, submitted.status(), submitted.json().toString());
            String id = submitted.json().get("id").asText();

            // Warmed first: the message's visibility timeout runs from its receive, a cold start included (as on
            // AWS), and 5 s leaves no room for one on a busy machine.
            stack.functions().warm("PromptWorkerFunction");
            assertEquals(1, stack.drainQueues(Duration.ofMillis(300)));
            assertTrue(log.stream().anyMatch(line -> line.startsWith("PromptWorkerFunction: Sandbox.Timedout: Task timed out after 3.00 seconds")), log.toString());
            Task cut = tasks.find(id).orElseThrow();
            assertEquals(TaskStatus.PROCESSING, cut.status(), "ended mid-run: no outcome recorded");
            assertEquals(1, cut.attempts());

            // The provider is quick again; only a fresh environment (read at its init) sees that.
            overrides.put("LOCAL_PROVIDER_LATENCY_MS", "0");
            assertTrue(stack.functions().warm("PromptWorkerFunction") > 0, "the timed-out environment is gone: this is a cold start");
            assertEquals(1, stack.drainQueues(Duration.ofSeconds(5)), "the message was not deleted: it comes back after its visibility timeout");
            Task done = tasks.find(id).orElseThrow();
            assertEquals(TaskStatus.SUCCEEDED, done.status(), log.toString());
            assertEquals(2, done.attempts(), "the cut attempt's claim went stale, so the redelivery claimed the task again");
        }
    }

    @Test
    void aBatchThatCannotFinishInTheTimeoutHandsBackItsUnstartedRecordsInsteadOfTimingOut() throws Exception {
        // Four prompts of a second each cannot all run in a 3 s Timeout: the worker stops before the deadline.
        Map<String, String> overrides = Map.of("WORKER_TIMEOUT_SECONDS", "3", "LOCAL_PROVIDER_LATENCY_MS", "1000");
        List<String> log = new CopyOnWriteArrayList<>();
        stack = new LocalStack(aws, overrides, LocalStack.Limits.aws().withFunctionTimeout("PromptWorkerFunction", Duration.ofSeconds(3)), log::add);
        try (var shortVisibility = promptQueueVisibility(5)) {
            var client = new Client(stack.router());
            String key = stack.issueApiKey("u-" + UUID.randomUUID());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                var submitted = client.call("POST", "/api/v3/generate/prompt", "{\"prompt\": \"answer " + i + "\"}", key);
                assertEquals(202, submitted.status(), submitted.json().toString());
                ids.add(submitted.json().get("id").asText());
            }
            stack.functions().warm("PromptWorkerFunction");
            assertTrue(stack.drainQueues(Duration.ofSeconds(6)) > 4, "the unstarted records came back in later deliveries");
            assertTrue(log.stream().noneMatch(line -> line.contains("Task timed out")), log.toString());
            for (String id : ids) {
                Task task = tasks.find(id).orElseThrow();
                assertEquals(TaskStatus.SUCCEEDED, task.status(), id + " " + log);
                assertEquals(1, task.attempts(), "each task ran once: none was cut and run again");
            }
        }
    }

    @Test
    void aSlowIntegrationAnswers503AtTheIntegrationTimeout() throws IOException {
        try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // A DynamoDB endpoint that takes connections and never answers: the health check waits on it.
            Thread.ofPlatform().daemon().start(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) held.add(silent.accept());
                } catch (IOException closed) {
                    held.forEach(socket -> {
                        try {
                            socket.close();
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                    });
                }
            });
            stack = new LocalStack(aws, Map.of("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + silent.getLocalPort()),
                    LocalStack.Limits.aws().withIntegrationTimeout(Duration.ofSeconds(1)), line -> { });
            stack.functions().warm("ApiFunction"); // on AWS a cold start counts toward the limit too; here only the call should
            long start = System.nanoTime();
            var answer = new Client(stack.router()).call("GET", "/api/v3/health", null, null);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, answer.status());
            assertEquals("Service Unavailable", answer.json().get("message").asText());
            assertTrue(ms >= 1000 && ms < 5000, ms + " ms");
        }
    }

    @Test
    void aBodyOverTenMegabytesIs413AndOneOverLambdasSixIs500() {
        stack = new LocalStack(aws, Map.of());
        var client = new Client(stack.router());
        var headers = Map.of("Authorization", "Bearer " + stack.issueApiKey("u-" + UUID.randomUUID()), "Content-Type", "application/json");

        var tooLarge = client.send("POST", "/api/v3/generate/prompt", headers, new byte[HttpApiRouter.MAX_BODY_BYTES + 1]);
        assertEquals(413, tooLarge.status());
        assertEquals("Request Entity Too Large", tooLarge.json().get("message").asText());

        byte[] sevenMegabytes = ("{\"prompt\": \"" + "x".repeat(7_000_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        var refused = client.send("POST", "/api/v3/generate/prompt", headers, sevenMegabytes);
        assertEquals(500, refused.status(), "API Gateway passes it on, Lambda refuses the invoke");
        assertEquals("Internal Server Error", refused.json().get("message").asText());
    }

    @Test
    void anInvokeOverSixMegabytesIsRefusedAndAResponseOverItIsAFunctionError() throws IOException {
        stack = new LocalStack(aws, Map.of());
        var functions = stack.functions();
        String health = "{\"version\":\"2.0\",\"routeKey\":\"GET /api/v3/health\",\"rawPath\":\"/api/v3/health\",\"padding\":\"";
        byte[] atTheLimit = (health + "x".repeat(LocalFunctions.MAX_REQUEST_BYTES - health.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertEquals(LocalFunctions.MAX_REQUEST_BYTES, atTheLimit.length);
        assertEquals(200, Json.MAPPER.readTree(functions.invoke("ApiFunction", atTheLimit)).get("statusCode").asInt());
        byte[] overIt = (health + "x".repeat(LocalFunctions.MAX_REQUEST_BYTES - health.length() - 1) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThrows(LocalFunctions.RequestTooLargeException.class, () -> functions.invoke("ApiFunction", overIt));

        // The API's error body carries the request id, where each quote is escaped twice over: 4 MB in, 8 MB out.
        var event = Json.MAPPER.createObjectNode().put("version", "2.0").put("routeKey", "GET /api/v3/tasks/{id}")
                .put("rawPath", "/api/v3/tasks/x");
        event.putObject("pathParameters").put("id", "x");
        event.putObject("requestContext").put("requestId", "\"".repeat(2_000_000));
        byte[] request = Json.MAPPER.writeValueAsBytes(event);
        assertTrue(request.length < LocalFunctions.MAX_REQUEST_BYTES);
        var error = assertThrows(LocalFunctions.FunctionError.class, () -> functions.invoke("ApiFunction", request));
        assertEquals("Function.ResponseSizeTooLarge", error.errorType());
    }
}
