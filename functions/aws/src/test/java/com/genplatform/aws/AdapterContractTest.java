package com.genplatform.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.TaskOutput;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.TaskUpdates;
import com.genplatform.core.config.PlatformConfig;
import com.genplatform.core.error.ErrorCode;
import com.genplatform.core.error.PlatformException;
import com.genplatform.core.port.TaskMessage;
import com.genplatform.core.port.TaskPage;
import com.genplatform.core.port.TaskQuery;
import com.genplatform.core.request.GenerationRequest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The contract every backend of the ports must keep, run against the embedded emulators and, where Docker
 * exists, against LocalStack. Each test works on its own user and task ids, so tests never see each other.
 */
abstract class AdapterContractTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    /** The functions' environment for the backend under test (tables, queues, bucket, endpoints). */
    protected abstract Map<String, String> environment();

    private PlatformConfig config;
    private AwsClients clients;
    private DynamoTaskStore store;
    private SqsTaskQueue queue;
    private final String user = "user-" + UUID.randomUUID();

    @BeforeEach
    void connect() {
        config = PlatformConfig.fromEnvironment(environment());
        clients = new AwsClients(config);
        store = new DynamoTaskStore(clients.dynamoDb(), config.tasksTable(), config.taskRetention());
        queue = new SqsTaskQueue(clients.sqs(), config.queueUrls());
    }

    private Task newTask(Engine engine, Instant createdAt) {
        var body = Json.MAPPER.createObjectNode();
        body.put(engine == Engine.AUDIO ? "text" : "prompt", "contract test " + engine.wireName());
        return Task.create(UUID.randomUUID().toString(), user, GenerationRequest.parse(engine, body), "local", "m", createdAt);
    }

    // ---------- TaskStore ----------

    @Test
    void storesAndReadsBackEveryField() {
        Task task = newTask(Engine.IMAGE, T0);
        store.create(task);
        assertEquals(task, store.find(task.id()).orElseThrow());

        Task started = task.startAttempt(T0.plusSeconds(1));
        Task accepted = started.withProviderTask("p-1", T0.plusSeconds(2));
        Task progressed = accepted.withProgress(50, T0.plusSeconds(3));
        var output = new TaskOutput(0, "results/u/t/0.png", "image/png", 123, "ab12", 64, 32, null);
        Task succeeded = progressed.succeed(List.of(output), T0.plusSeconds(4));
        for (Task next : List.of(started, accepted, progressed, succeeded)) {
            assertTrue(store.update(next));
            assertEquals(next, store.find(task.id()).orElseThrow());
        }
        // a write derived from an old version is refused
        assertFalse(store.update(progressed.fail(new TaskError("provider_error", "late"), T0.plusSeconds(5))));
        assertEquals(succeeded, store.find(task.id()).orElseThrow());
    }

    @Test
    void createNeverOverwrites() {
        Task task = newTask(Engine.PROMPT, T0);
        store.create(task);
        var error = assertThrows(PlatformException.class, () -> store.create(task.cancel(T0)));
        assertEquals(ErrorCode.CONFLICT, error.code());
        assertEquals(TaskStatus.PENDING, store.find(task.id()).orElseThrow().status());
        assertTrue(store.find("no-such-task").isEmpty());
    }

    @Test
    void ofTwoRacingTransitionsExactlyOneWins() throws Exception {
        Task task = newTask(Engine.VIDEO, T0);
        store.create(task);
        // A worker claiming the task and a caller canceling it, both from the same stored version.
        List<Task> contenders = List.of(task.startAttempt(T0.plusSeconds(1)), task.cancel(T0.plusSeconds(1)));
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(2)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (Task contender : contenders) {
                results.add(pool.submit(() -> {
                    start.await();
                    return store.update(contender);
                }));
            }
            start.countDown();
            int wins = 0;
            for (var result : results) wins += result.get() ? 1 : 0;
            assertEquals(1, wins);
        }
        Task stored = store.find(task.id()).orElseThrow();
        assertEquals(2, stored.version());
        assertTrue(contenders.contains(stored));
    }

    @Test
    void concurrentUpdatesThroughTaskUpdatesAreNeverLost() throws Exception {
        Task task = newTask(Engine.AUDIO, T0);
        store.create(task);
        var updates = new TaskUpdates(store);
        updates.apply(task.id(), t -> t.startAttempt(T0));
        int writers = 6;
        var changed = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(writers)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int percent = 10 + i;
                futures.add(pool.submit(() -> {
                    if (updates.apply(task.id(), t -> t.withProgress(percent, T0)).changed()) changed.incrementAndGet();
                }));
            }
            for (var f : futures) f.get();
        }
        assertEquals(writers, changed.get());
        assertEquals(2 + writers, store.find(task.id()).orElseThrow().version());
        // a change that finds the task terminal does nothing
        updates.apply(task.id(), t -> t.cancel(T0));
        assertFalse(updates.apply(task.id(), t -> t.isTerminal() ? t : t.fail(new TaskError("x", "y"), T0)).changed());
    }

    @Test
    void listsAUsersTasksNewestFirstAcrossPages() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            Task task = newTask(i % 2 == 0 ? Engine.IMAGE : Engine.VIDEO, T0.plusSeconds(i));
            store.create(task);
            ids.addFirst(task.id()); // newest first
        }
        // Another user's task at the newest instant must never show up.
        Task stranger = Task.create(UUID.randomUUID().toString(), "someone-else",
                newTask(Engine.IMAGE, T0).request(), "local", "m", T0.plusSeconds(100));
        store.create(stranger);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            TaskPage page = store.list(new TaskQuery(user, null, null, 10, cursor));
            assertTrue(page.items().size() <= 10);
            page.items().forEach(t -> seen.add(t.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(ids, seen);
        assertEquals(3, pages);
    }

    @Test
    void filtersByEngineAndStatusWhilePaging() {
        List<String> succeededImages = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Engine engine = i % 3 == 0 ? Engine.IMAGE : Engine.PROMPT;
            Task task = newTask(engine, T0.plusSeconds(i));
            store.create(task);
            if (i % 2 == 0) {
                assertTrue(store.update(task.startAttempt(T0)));
                Task started = store.find(task.id()).orElseThrow();
                assertTrue(store.update(started.succeed(List.of(), T0)));
                if (engine == Engine.IMAGE) succeededImages.addFirst(task.id());
            }
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            TaskPage page = store.list(new TaskQuery(user, Engine.IMAGE, TaskStatus.SUCCEEDED, 1, cursor));
            page.items().forEach(t -> {
                assertEquals(Engine.IMAGE, t.engine());
                assertEquals(TaskStatus.SUCCEEDED, t.status());
                seen.add(t.id());
            });
            cursor = page.nextCursor();
        } while (cursor != null);
        assertEquals(succeededImages, seen);
        assertEquals(4, store.list(new TaskQuery(user, Engine.IMAGE, null, 50, null)).items().size());
        assertEquals(6, store.list(new TaskQuery(user, null, TaskStatus.PENDING, 50, null)).items().size());
    }

    @Test
    void findsUnfinishedTasksNobodyTouchedSince() {
        Instant longAgo = Instant.parse("2020-01-01T00:00:00Z");
        Task stalePending = newTask(Engine.IMAGE, longAgo);
        Task staleDone = newTask(Engine.IMAGE, longAgo);
        Task fresh = newTask(Engine.IMAGE, longAgo.plusSeconds(3600));
        for (Task task : List.of(stalePending, staleDone, fresh)) store.create(task);
        assertTrue(store.update(staleDone.cancel(longAgo.plusSeconds(1))));
        List<String> found = store.unfinishedSince(longAgo.plusSeconds(60), 1000).stream().map(Task::id).toList();
        assertTrue(found.contains(stalePending.id()), "an old unfinished task is found");
        assertFalse(found.contains(staleDone.id()), "a finished task never is");
        assertFalse(found.contains(fresh.id()), "a task changed after the cutoff is not");
    }

    @Test
    void aForgedCursorIsAValidationError() {
        var error = assertThrows(PlatformException.class,
                () -> store.list(new TaskQuery(user, null, null, 10, "bm90LWEtY3Vyc29y")));
        assertEquals(ErrorCode.VALIDATION_ERROR, error.code());
        assertEquals("cursor", error.details().getFirst().field());
    }

    // ---------- TaskQueue ----------

    @Test
    void sendsMessagesToTheirEnginesQueue() {
        String taskId = UUID.randomUUID().toString();
        queue.send(TaskMessage.run(taskId, Engine.PROMPT), Duration.ZERO);
        Message received = receiveUntil(config.queueUrl(Engine.PROMPT), taskId, Duration.ofSeconds(5));
        assertEquals(TaskMessage.run(taskId, Engine.PROMPT), TaskMessage.fromJson(received.body()));
        delete(config.queueUrl(Engine.PROMPT), received);
        assertThrows(IllegalArgumentException.class,
                () -> queue.send(TaskMessage.run(taskId, Engine.PROMPT), Duration.ofMinutes(16)));
    }

    @Test
    void delayedMessagesArriveOnlyAfterTheirDelay() {
        String taskId = UUID.randomUUID().toString();
        Instant sent = Instant.now();
        queue.send(TaskMessage.check(taskId, Engine.AUDIO, 1), Duration.ofSeconds(2));
        Message received = receiveUntil(config.queueUrl(Engine.AUDIO), taskId, Duration.ofSeconds(10));
        assertTrue(Duration.between(sent, Instant.now()).toMillis() >= 1900, "arrived before its delay");
        assertEquals(1, TaskMessage.fromJson(received.body()).check());
        delete(config.queueUrl(Engine.AUDIO), received);
    }

    @Test
    void aMessageReceivedTooOftenMovesToTheDeadLetterQueue() {
        String queueUrl = config.queueUrl(Engine.IMAGE);
        var sqs = clients.sqs();
        String redrive = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributes().get(QueueAttributeName.REDRIVE_POLICY);
        var policy = Json.MAPPER.valueToTree(parse(redrive));
        int maxReceives = policy.get("maxReceiveCount").asInt();
        String dlqArn = policy.get("deadLetterTargetArn").asText();
        String dlqName = dlqArn.substring(dlqArn.lastIndexOf(':') + 1);
        String dlqUrl = sqs.getQueueUrl(b -> b.queueName(dlqName)).queueUrl();

        String taskId = UUID.randomUUID().toString();
        queue.send(TaskMessage.run(taskId, Engine.IMAGE), Duration.ZERO);
        for (int receive = 1; receive <= maxReceives; receive++) {
            Message m = receiveUntil(queueUrl, taskId, Duration.ofSeconds(5));
            assertEquals(Integer.toString(receive), m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
            // a worker failing it: make it visible again at once
            sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }
        // The next receive moves it on instead of delivering it.
        var again = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        assertTrue(again.stream().noneMatch(m -> m.body().contains(taskId)));
        Message dead = receiveUntil(dlqUrl, taskId, Duration.ofSeconds(5));
        assertEquals(taskId, TaskMessage.fromJson(dead.body()).taskId());
        delete(dlqUrl, dead);
    }

    // ---------- ContentStore ----------

    @Test
    void storesSmallObjectsWithTheirChecksumAndServesThemThroughSignedUrls() throws Exception {
        var content = new S3ContentStore(clients::s3, clients::presigner, config.resultsBucket());
        byte[] bytes = "hello, generated world".getBytes();
        String key = "results/" + user + "/t1/0.txt";
        var stored = content.put(key, "text/plain", new ByteArrayInputStream(bytes));
        assertEquals(bytes.length, stored.bytes());
        assertEquals(sha256(bytes), stored.sha256());
        assertEquals(stored, content.head(key).orElseThrow());
        assertTrue(content.head(key + ".missing").isEmpty());

        URI url = content.presignedGet(key, Duration.ofMinutes(5));
        var http = HttpClient.newHttpClient();
        var response = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(bytes, response.body());

        // Signed URLs cannot be bent to another key.
        URI tampered = URI.create(url.toString().replace("/t1/0.txt", "/t1/1.txt"));
        assertEquals(403, http.send(HttpRequest.newBuilder(tampered).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void streamsLargeObjectsInParts() throws Exception {
        int partSize = 5 * 1024 * 1024;
        List<String> operations = new java.util.concurrent.CopyOnWriteArrayList<>();
        var recordingS3 = software.amazon.awssdk.services.s3.S3Client.builder()
                .region(software.amazon.awssdk.regions.Region.of(config.region()))
                .endpointOverride(config.endpoints().s3())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                config.credentials().orElseThrow().accessKeyId(), config.credentials().orElseThrow().secretAccessKey())))
                .forcePathStyle(true)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                                software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                        operations.add(attributes.getAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME));
                    }
                }))
                .build();
        var content = new S3ContentStore(() -> recordingS3, clients::presigner, config.resultsBucket(), partSize);
        byte[] bytes = new byte[partSize * 2 + 12345];
        new Random(7).nextBytes(bytes);
        String key = "results/" + user + "/t2/0.mp4";
        var stored = content.put(key, "video/mp4", new ByteArrayInputStream(bytes));
        assertEquals(bytes.length, stored.bytes());
        assertEquals(sha256(bytes), stored.sha256());
        var head = content.head(key).orElseThrow();
        assertEquals("video/mp4", head.contentType());
        assertEquals(bytes.length, head.bytes());
        assertEquals(stored.sha256(), head.sha256());
        assertEquals(3, operations.stream().filter("UploadPart"::equals).count(), operations.toString());
        assertTrue(operations.contains("CompleteMultipartUpload"), operations.toString());
        var response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(content.presignedGet(key, Duration.ofMinutes(1))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(bytes, response.body());
    }

    // ---------- helpers ----------

    private Message receiveUntil(String queueUrl, String taskId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (Message m : clients.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages()) {
                if (m.body().contains(taskId)) return m;
                // someone else's message: put it back at once
                clients.sqs().changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
            }
        }
        throw new AssertionError("no message for " + taskId + " on " + queueUrl + " within " + timeout);
    }

    private void delete(String queueUrl, Message m) {
        clients.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
    }

    private static Object parse(String json) {
        try {
            return Json.MAPPER.readValue(json, Object.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
