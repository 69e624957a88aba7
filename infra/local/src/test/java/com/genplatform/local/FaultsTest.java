package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.aws.DynamoTaskStore;
import com.genplatform.aws.SqsTaskQueue;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.port.TaskMessage;
import com.genplatform.local.replicate.ReplicateCompatibleServer;
import com.genplatform.providers.local.LocalProvider;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.LocalAwsExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Cancels at every stage, duplicated messages and callbacks, provider errors, and poison tasks (failing past
 * their attempts or their age), each leaving the task right.
 */
@ExtendWith(LocalAwsExtension.class)
class FaultsTest {
    private static final String IMAGE = "{\"prompt\": \"a fox\", \"size\": \"64x64\", \"num_outputs\": 2}";

    private final LocalAws aws;
    private final DynamoTaskStore tasks;
    private LocalStack stack;

    FaultsTest(LocalAws aws) {
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

    private Client start(Map<String, String> overrides) {
        stack = new LocalStack(aws, overrides);
        return new Client(stack.router());
    }

    private String submit(Client client, String key) {
        var answer = client.call("POST", "/api/v3/generate/image", IMAGE, key);
        assertEquals(202, answer.status(), answer.json().toString());
        return answer.json().get("id").asText();
    }

    private long storedObjects(Task task) {
        return aws.s3().listObjectsV2(b -> b.bucket(aws.ref("ResultsBucket")).prefix("results/" + task.userId() + "/" + task.id() + "/"))
                .contents().stream().map(S3Object::key).count();
    }

    @Test
    void cancelBeforeTheWorkerRunsMeansItNeverRuns() {
        var client = start(Map.of());
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        String id = submit(client, key);
        var canceled = client.call("POST", "/api/v3/tasks/" + id + "/cancel", null, key);
        assertEquals(200, canceled.status());
        assertEquals("canceled", canceled.json().get("status").asText());
        stack.drainQueues(Duration.ofMillis(300));
        Task task = tasks.find(id).orElseThrow();
        assertEquals(TaskStatus.CANCELED, task.status());
        assertEquals(0, task.attempts());
        assertEquals(0, storedObjects(task));
        var result = client.call("GET", "/api/v3/tasks/" + id + "/result", null, key);
        assertEquals(409, result.status());
        assertEquals("task_canceled", result.json().get("error").get("code").asText());
        assertEquals("canceled", result.json().get("error").get("status").asText());
    }

    @Test
    void cancelWhileTheProviderWorksIgnoresItsLateCallback() {
        var client = start(Map.of("LOCAL_PROVIDER_MODE", "webhook"));
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        String id = submit(client, key);
        stack.drainQueues(Duration.ofMillis(300));
        Task running = tasks.find(id).orElseThrow();
        assertEquals(TaskStatus.PROCESSING, running.status());

        assertEquals(200, client.call("POST", "/api/v3/tasks/" + id + "/cancel", null, key).status());
        var late = client.deliver("local", id, LocalProvider.fromEnvironment(Map.of("LOCAL_WEBHOOK_SECRET", LocalProvider.DEVELOPMENT_WEBHOOK_SECRET)).callback(running));
        assertEquals(200, late.status(), "a late callback is acknowledged, so the provider stops retrying");
        Task task = tasks.find(id).orElseThrow();
        assertEquals(TaskStatus.CANCELED, task.status());
        assertEquals(0, storedObjects(task));
    }

    @Test
    void cancelWhileTheProviderIsStartingTheTaskStopsItThere() throws Exception {
        try (var replicate = new ReplicateCompatibleServer(0, new ReplicateCompatibleServer.Options("token",
                ReplicateCompatibleServer.newWebhookSecret(), Duration.ofSeconds(30), 0, false), line -> { })) {
            var client = start(Map.of("REPLICATE_API_TOKEN", "token", "REPLICATE_BASE_URL", replicate.baseUrl().toString(),
                    "REPLICATE_WEBHOOKS", "false"));
            String key = stack.issueApiKey("u-" + UUID.randomUUID());
            var submitted = client.call("POST", "/api/v3/generate/prompt", "{\"prompt\": \"a fox\", \"provider\": \"replicate\"}", key);
            assertEquals(202, submitted.status(), submitted.json().toString());
            String id = submitted.json().get("id").asText();
            // The user cancels after Replicate created the prediction and before the worker hears its id.
            List<String> predictions = new CopyOnWriteArrayList<>();
            List<Integer> cancels = new CopyOnWriteArrayList<>();
            replicate.beforeCreateAnswers(prediction -> {
                predictions.add(prediction);
                cancels.add(client.call("POST", "/api/v3/tasks/" + id + "/cancel", null, key).status());
            });
            stack.drainQueues(Duration.ofMillis(500));
            assertEquals(1, predictions.size(), "started once at the provider");
            assertEquals(List.of(200), cancels);
            var prediction = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(replicate.baseUrl() + "/predictions/" + predictions.getFirst())).header("Authorization", "Bearer token").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("canceled", Json.MAPPER.readTree(prediction.body()).get("status").asText(), "stopped at the provider, not billed on");
            assertEquals(TaskStatus.CANCELED, tasks.find(id).orElseThrow().status());
        }
    }

    @Test
    void cancelAfterSuccessIsAConflictAndChangesNothing() {
        var client = start(Map.of());
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        String id = submit(client, key);
        stack.drainQueues(Duration.ofMillis(300));
        var answer = client.call("POST", "/api/v3/tasks/" + id + "/cancel", null, key);
        assertEquals(409, answer.status());
        assertEquals("conflict", answer.json().get("error").get("code").asText());
        assertEquals(TaskStatus.SUCCEEDED, tasks.find(id).orElseThrow().status());
    }

    @Test
    void aDuplicatedMessageLeavesOneSetOfOutputs() {
        var client = start(Map.of());
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        String id = submit(client, key);
        // SQS delivers at least once: the same run message twice.
        new SqsTaskQueue(aws.sqs(), Map.of(Engine.IMAGE, aws.ref("ImageQueue"))).send(TaskMessage.run(id, Engine.IMAGE), Duration.ZERO);
        assertEquals(2, stack.drainQueues(Duration.ofMillis(300)));
        Task task = tasks.find(id).orElseThrow();
        assertEquals(TaskStatus.SUCCEEDED, task.status());
        assertEquals(1, task.attempts());
        assertEquals(2, task.outputs().size());
        assertEquals(2, storedObjects(task));
    }

    @Test
    void aRetriedSubmitWithTheSameIdempotencyKeyMakesOneTask() {
        var client = start(Map.of());
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        Map<String, String> headers = Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json",
                "Idempotency-Key", "order-7-attempt");
        var first = client.send("POST", "/api/v3/generate/image", headers, IMAGE.getBytes());
        var retry = client.send("POST", "/api/v3/generate/image", headers, IMAGE.getBytes());
        assertEquals(202, first.status());
        assertEquals(202, retry.status());
        assertEquals(first.json().get("id"), retry.json().get("id"));
        assertEquals("true", retry.headers().get("Idempotent-Replayed"));
        assertEquals(null, first.headers().get("Idempotent-Replayed"));
        var different = client.send("POST", "/api/v3/generate/image", headers, IMAGE.replace("a fox", "a wolf").getBytes());
        assertEquals(409, different.status());
        assertEquals(1, stack.drainQueues(Duration.ofMillis(300)), "one task queued, once");
        assertEquals(1, client.call("GET", "/api/v3/tasks", null, key).json().get("items").size());
    }

    @Test
    void aRetryAfterTheQueueWasDownGetsAWorkingTaskNotTheFailedOne() {
        // The API function's queue URL names a queue that does not exist: its SendMessage fails as on AWS.
        var client = start(Map.of("IMAGE_QUEUE_URL", aws.ref("ImageQueue") + "-missing"));
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        Map<String, String> headers = Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json",
                "Idempotency-Key", "order-8");
        var refused = client.send("POST", "/api/v3/generate/image", headers, IMAGE.getBytes());
        assertEquals(503, refused.status(), String.valueOf(refused.json()));

        // The queue works again (a new stack on the same tables), and the client retries as it was told to.
        stack.close();
        client = start(Map.of());
        var retry = client.send("POST", "/api/v3/generate/image", headers, IMAGE.getBytes());
        assertEquals(202, retry.status(), String.valueOf(retry.json()));
        assertEquals("pending", retry.json().get("status").asText());
        assertEquals(1, stack.drainQueues(Duration.ofMillis(300)));
        assertEquals(TaskStatus.SUCCEEDED, tasks.find(retry.json().get("id").asText()).orElseThrow().status());
        var again = client.send("POST", "/api/v3/generate/image", headers, IMAGE.getBytes());
        assertEquals(retry.json().get("id"), again.json().get("id"), "the key now answers with the working task");
    }

    @Test
    void concurrentRetriesWithTheSameIdempotencyKeyGetTheSameTask() throws Exception {
        var client = start(Map.of());
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        stack.functions().warm("ApiFunction");
        int rounds = 5;
        int callers = 6;
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(callers)) {
            for (int round = 0; round < rounds; round++) {
                Map<String, String> headers = Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json",
                        "Idempotency-Key", "order-9-" + round);
                var ready = new java.util.concurrent.CountDownLatch(callers);
                List<java.util.concurrent.Future<Client.Answer>> answers = new java.util.ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    var caller = client;
                    answers.add(threads.submit(() -> {
                        ready.countDown();
                        ready.await();
                        return caller.send("POST", "/api/v3/generate/image", headers, IMAGE.getBytes());
                    }));
                }
                java.util.Set<String> ids = new java.util.HashSet<>();
                for (var answer : answers) {
                    var a = answer.get();
                    assertEquals(202, a.status(), "round " + round + ": " + a.json());
                    ids.add(a.json().get("id").asText());
                }
                assertEquals(1, ids.size(), "round " + round + ": " + ids);
            }
        }
        assertEquals(rounds, client.call("GET", "/api/v3/tasks", null, key).json().get("items").size(), "one task stored per key");
    }

    @Test
    void aDuplicatedWebhookLeavesOneSetOfOutputs() {
        var client = start(Map.of("LOCAL_PROVIDER_MODE", "webhook"));
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        String id = submit(client, key);
        stack.drainQueues(Duration.ofMillis(300));
        var callback = LocalProvider.fromEnvironment(Map.of("LOCAL_WEBHOOK_SECRET", LocalProvider.DEVELOPMENT_WEBHOOK_SECRET)).callback(tasks.find(id).orElseThrow());
        assertEquals(200, client.deliver("local", id, callback).status());
        Task first = tasks.find(id).orElseThrow();
        assertEquals(200, client.deliver("local", id, callback).status());
        Task after = tasks.find(id).orElseThrow();
        assertEquals(first, after, "the repeated delivery changed nothing");
        assertEquals(2, storedObjects(after));
    }

    @Test
    void aForgedOrTamperedWebhookIsRejectedAndStoresNothing() {
        var client = start(Map.of("LOCAL_PROVIDER_MODE", "webhook"));
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        String id = submit(client, key);
        stack.drainQueues(Duration.ofMillis(300));
        Task running = tasks.find(id).orElseThrow();
        var forger = new LocalProvider(LocalProvider.Mode.WEBHOOK, "whsec_" + java.util.Base64.getEncoder().encodeToString("not the secret".getBytes()),
                Duration.ZERO, java.time.Clock.systemUTC());
        var forged = client.deliver("local", id, forger.callback(running));
        assertEquals(401, forged.status());
        assertEquals("unauthorized", forged.json().get("error").get("code").asText());
        var genuine = LocalProvider.fromEnvironment(Map.of("LOCAL_WEBHOOK_SECRET", LocalProvider.DEVELOPMENT_WEBHOOK_SECRET)).callback(running);
        var tampered = new com.genplatform.core.provider.WebhookDelivery(genuine.headers(),
                new String(genuine.rawBody()).replace("succeeded", "failed").getBytes());
        assertEquals(401, client.deliver("local", id, tampered).status());
        assertEquals(TaskStatus.PROCESSING, tasks.find(id).orElseThrow().status());
        assertEquals(0, storedObjects(running));
    }

    @Test
    void aWorkerThatDiedAfterTheProviderAcceptedIsFollowedUpOnRedelivery() {
        var client = start(Map.of("LOCAL_PROVIDER_MODE", "poll", "FIRST_POLL_SECONDS", "0"));
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        String id = submit(client, key);
        aws.purgeQueues();
        // The state a crash leaves: claimed, accepted by the provider under its id, and no check ever queued.
        Task claimed = tasks.find(id).orElseThrow().startAttempt(java.time.Instant.now());
        assertTrue(tasks.update(claimed));
        Task accepted = claimed.withProviderTask("local-" + id + "-1", java.time.Instant.now());
        assertTrue(tasks.update(accepted));
        // The run message, never deleted by the dead worker, comes back.
        new SqsTaskQueue(aws.sqs(), Map.of(Engine.IMAGE, aws.ref("ImageQueue"))).send(TaskMessage.run(id, Engine.IMAGE), Duration.ZERO);
        stack.drainQueues(Duration.ofMillis(500));
        Task task = tasks.find(id).orElseThrow();
        assertEquals(TaskStatus.SUCCEEDED, task.status());
        assertEquals(1, task.attempts(), "followed up, not started a second time at the provider");
    }

    @Test
    void aTaskStoredButNeverQueuedIsRevivedByTheSweeper() throws Exception {
        start(Map.of());
        // The crash between the two writes of a submit: the task is stored, its message never sent.
        Task orphan = Task.create(UUID.randomUUID().toString(), "u-" + UUID.randomUUID(),
                com.genplatform.core.request.GenerationRequest.parse(Engine.PROMPT,
                        com.genplatform.core.Json.MAPPER.createObjectNode().put("prompt", "orphan")),
                "local", "local-prompt", java.time.Instant.now().minus(Duration.ofMinutes(30)));
        tasks.create(orphan);
        assertEquals(0, stack.drainQueues(Duration.ofMillis(200)));
        assertEquals(Duration.ofMinutes(5), stack.schedules().get("SweeperFunction"), "the template's rate(5 minutes)");
        var swept = stack.fireSchedules().get("SweeperFunction");
        assertTrue(swept.get("tasks").toString().contains("\"" + orphan.id() + "\""), swept.toString());
        stack.drainQueues(Duration.ofMillis(300));
        assertEquals(TaskStatus.SUCCEEDED, tasks.find(orphan.id()).orElseThrow().status());
    }

    @Test
    void aLostWebhookIsRecoveredByTheSafetyNetCheck() {
        var client = start(Map.of("LOCAL_PROVIDER_MODE", "webhook", "WEBHOOK_SAFETY_NET_SECONDS", "1"));
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        String id = submit(client, key);
        // No callback ever comes; the delayed check asks the provider and finds the task done.
        stack.drainQueues(Duration.ofMillis(2500));
        assertEquals(TaskStatus.SUCCEEDED, tasks.find(id).orElseThrow().status());
    }

    @Test
    void aProviderThatKeepsFailingFailsTheTaskAndTheMessageEndsInTheDeadLetterQueue() {
        var client = start(Map.of("LOCAL_PROVIDER_FAILURE", "retryable", "FIRST_POLL_SECONDS", "0"));
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        String id = submit(client, key);
        stack.drainQueues(Duration.ofMillis(500));
        Task task = tasks.find(id).orElseThrow();
        assertEquals(TaskStatus.FAILED, task.status());
        assertEquals("provider_error", task.error().code());
        assertEquals(5, task.attempts(), "one attempt per delivery, up to the queue's maxReceiveCount");
        assertTrue(task.error().message().contains("simulated outage"), task.error().message());
        var dead = aws.sqs().receiveMessage(b -> b.queueUrl(aws.ref("ImageDeadLetterQueue")).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        assertTrue(dead.stream().anyMatch(m -> TaskMessage.fromJson(m.body()).taskId().equals(id)), "the message is in the DLQ");
    }

    @Test
    void aFinalProviderErrorFailsTheTaskAtOnce() {
        var client = start(Map.of("LOCAL_PROVIDER_FAILURE", "final"));
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        String id = submit(client, key);
        assertEquals(1, stack.drainQueues(Duration.ofMillis(300)));
        Task task = tasks.find(id).orElseThrow();
        assertEquals(TaskStatus.FAILED, task.status());
        assertEquals(1, task.attempts());
        var result = client.call("GET", "/api/v3/tasks/" + id + "/result", null, key);
        assertEquals(409, result.status());
        assertEquals("task_failed", result.json().get("error").get("code").asText());
        assertTrue(result.json().get("error").get("task_error").get("message").asText().contains("simulated final error"));
    }

    /** A prompt task stored as submitted at {@code createdAt}, with nothing queued for it. */
    private Task storedTask(String prompt, java.time.Instant createdAt) {
        Task task = Task.create(UUID.randomUUID().toString(), "u-" + UUID.randomUUID(),
                com.genplatform.core.request.GenerationRequest.parse(Engine.PROMPT,
                        com.genplatform.core.Json.MAPPER.createObjectNode().put("prompt", prompt)),
                "local", "local-prompt", createdAt);
        tasks.create(task);
        return task;
    }

    @Test
    void aRunThatKeepsFailingAfterTheProviderAnsweredFailsAtTheAttemptCapAndIsNeverRevived() {
        // The worker's role may write only the results bucket: pointed at another, every attempt's outputs are
        // refused by S3 after the local provider made them, a failure no provider classified.
        var client = start(Map.of("RESULTS_BUCKET", "gp-not-the-results-bucket", "FIRST_POLL_SECONDS", "0",
                "MAX_ATTEMPTS", "7", "SWEEP_STALE_AFTER_MINUTES", "0"));
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        String id = submit(client, key);
        stack.drainQueues(Duration.ofMillis(500));
        Task released = tasks.find(id).orElseThrow();
        assertEquals(TaskStatus.PROCESSING, released.status(), "retried on every delivery, not left for the visibility timeout");
        assertEquals(5, released.attempts(), "one attempt per delivery, up to the queue's maxReceiveCount");
        assertEquals("worker_error", released.error().code());
        var dead = aws.sqs().receiveMessage(b -> b.queueUrl(aws.ref("ImageDeadLetterQueue")).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        assertTrue(dead.stream().anyMatch(m -> TaskMessage.fromJson(m.body()).taskId().equals(id)), "the message is in the DLQ");

        // The sweeper revives it; its attempts go on counting from 5, and the cap ends it.
        var revived = stack.fireSchedules().get("SweeperFunction");
        assertTrue(revived.get("tasks").toString().contains("\"" + id + "\""), revived.toString());
        stack.drainQueues(Duration.ofMillis(500));
        Task task = tasks.find(id).orElseThrow();
        assertEquals(TaskStatus.FAILED, task.status());
        assertEquals("retries_exhausted", task.error().code());
        assertEquals(7, task.attempts(), "MAX_ATTEMPTS over all runs, sweeper revivals included");
        assertTrue(task.error().message().contains("7 attempts"), task.error().message());
        assertEquals(0, storedObjects(task));
        var result = client.call("GET", "/api/v3/tasks/" + id + "/result", null, key);
        assertEquals(409, result.status());
        assertEquals("retries_exhausted", result.json().get("error").get("task_error").get("code").asText());

        var later = stack.fireSchedules().get("SweeperFunction");
        assertFalse(later.toString().contains(id), "a failed task is never revived: " + later);
        stack.drainQueues(Duration.ofMillis(300));
        assertEquals(task, tasks.find(id).orElseThrow());
    }

    @Test
    void aStaleTaskOutOfAttemptsIsFailedByTheSweeperNotRevived() {
        start(Map.of("MAX_ATTEMPTS", "3"));
        // The state three attempts killed by the function's timeout leave: claimed, nothing recorded since.
        Task stored = storedTask("timed out thrice", java.time.Instant.now().minus(Duration.ofMinutes(90)));
        Task claimed = stored;
        for (int attempt = 0; attempt < 3; attempt++) {
            claimed = claimed.startAttempt(java.time.Instant.now().minus(Duration.ofMinutes(80 - 20 * attempt)));
            assertTrue(tasks.update(claimed));
        }
        var swept = stack.fireSchedules().get("SweeperFunction");
        assertFalse(swept.get("tasks").toString().contains(stored.id()), swept.toString());
        assertTrue(swept.path("failed").toString().contains("\"" + stored.id() + "\""), swept.toString());
        stack.drainQueues(Duration.ofMillis(300));
        Task task = tasks.find(stored.id()).orElseThrow();
        assertEquals(TaskStatus.FAILED, task.status());
        assertEquals("retries_exhausted", task.error().code());
        assertEquals(3, task.attempts());
    }

    @Test
    void aTaskPastItsMaximumAgeIsFailedByTheSweeperNotRevived() {
        start(Map.of("MAX_TASK_AGE_MINUTES", "60"));
        Task old = storedTask("too old", java.time.Instant.now().minus(Duration.ofHours(2)));
        var swept = stack.fireSchedules().get("SweeperFunction");
        assertFalse(swept.get("tasks").toString().contains(old.id()), swept.toString());
        assertTrue(swept.path("failed").toString().contains("\"" + old.id() + "\""), swept.toString());
        stack.drainQueues(Duration.ofMillis(300));
        Task task = tasks.find(old.id()).orElseThrow();
        assertEquals(TaskStatus.FAILED, task.status());
        assertEquals("timeout", task.error().code());
        assertTrue(task.error().message().contains("60 minutes"), task.error().message());
        assertEquals(0, task.attempts(), "never run");
    }

    @Test
    void aMessageForATaskPastItsMaximumAgeFailsItWithoutRunningIt() {
        start(Map.of("MAX_TASK_AGE_MINUTES", "60"));
        Task old = storedTask("too old", java.time.Instant.now().minus(Duration.ofHours(2)));
        new SqsTaskQueue(aws.sqs(), Map.of(Engine.PROMPT, aws.ref("PromptQueue"))).send(TaskMessage.run(old.id(), Engine.PROMPT), Duration.ZERO);
        assertEquals(1, stack.drainQueues(Duration.ofMillis(300)));
        Task task = tasks.find(old.id()).orElseThrow();
        assertEquals(TaskStatus.FAILED, task.status());
        assertEquals("timeout", task.error().code());
        assertEquals(0, task.attempts(), "never started at the provider");
        assertEquals(0, storedObjects(task));
    }
}
