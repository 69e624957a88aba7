package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.aws.DynamoTaskStore;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.port.TaskMessage;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.providers.local.LocalProvider;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.LocalAwsExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample events in events/ (the files `sam local invoke -e` takes), fed as they are, JSON bytes, to the
 * functions that template.yaml names, each run from its shipped jar with the runtime's deserialisation.
 */
@ExtendWith(LocalAwsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventFilesTest {
    private static final String EVENT_TASK = "3f1c2a9e-8b7d-4e61-9a0c-5d2f7b1e4c88";
    private final LocalAws aws;
    private LocalStack stack;
    private DynamoTaskStore tasks;

    EventFilesTest(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeAll
    void start() {
        stack = new LocalStack(aws, Map.of());
        tasks = new DynamoTaskStore(aws.dynamoDb(), aws.ref("TasksTable"), Duration.ofDays(1));
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    static byte[] eventFile(String file) {
        try (InputStream in = EventFilesTest.class.getResourceAsStream("/events/" + file)) {
            if (in == null) throw new IllegalArgumentException("no events/" + file);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode eventTree(String file) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(eventFile(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode invoke(String function, byte[] event) {
        try {
            return Json.MAPPER.readTree(stack.functions().invoke(function, event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode invoke(String function, JsonNode event) {
        return invoke(function, event.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Every file of events/, and the function it is for (by its name's prefix). */
    static Stream<String> everyEventFile() throws IOException {
        try (var files = Files.list(Path.of("../../events"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList().stream();
        }
    }

    private static String functionFor(String file) {
        if (file.startsWith("api-")) return "ApiFunction";
        if (file.startsWith("authorizer")) return "AuthorizerFunction";
        if (file.startsWith("webhook-")) return "WebhookFunction";
        if (file.startsWith("schedule-")) return "SweeperFunction";
        if (file.startsWith("sqs-")) {
            String engine = file.split("-")[1];
            return Character.toUpperCase(engine.charAt(0)) + engine.substring(1) + "WorkerFunction";
        }
        throw new AssertionError("events/" + file + ": name it api-, authorizer, webhook-, schedule- or sqs-<engine>- for its function");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEventFile")
    void everyEventFileIsReadByItsFunctionsJar(String file) {
        var answer = stack.functions().invoke(functionFor(file), eventFile(file)); // a function error throws
        assertTrue(answer.length > 0, file);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "api-submit-image.json, 202", "api-submit-video.json, 202", "api-submit-audio.json, 202",
            "api-submit-prompt.json, 202", "api-submit-invalid.json, 400", "api-list-tasks.json, 200",
            "api-health.json, 200", "api-no-key.json, 401"})
    void apiEvents(String file, int status) {
        var response = invoke("ApiFunction", eventFile(file));
        assertEquals(status, response.get("statusCode").asInt(), response.toString());
        assertEquals("application/json", response.get("headers").get("Content-Type").asText());
    }

    @Test
    void taskEventsOnTheirTask() {
        var task = Task.create(EVENT_TASK + "-api", "demo-user", GenerationRequest.parse(com.genplatform.core.Engine.PROMPT,
                Json.MAPPER.createObjectNode().put("prompt", "events")), "local", "local-prompt", Instant.now());
        tasks.create(task);
        for (String file : new String[] {"api-get-task.json", "api-get-result.json", "api-cancel-task.json"}) {
            var event = eventTree(file);
            ((ObjectNode) event.get("pathParameters")).put("id", task.id());
            var response = invoke("ApiFunction", event);
            int expected = file.contains("result") ? 409 : 200;
            assertEquals(expected, response.get("statusCode").asInt(), file + ": " + response);
        }
        assertEquals(TaskStatus.CANCELED, tasks.find(task.id()).orElseThrow().status());
    }

    @Test
    void authorizerEventWithAnUnknownKeyGivesNoUser() {
        var decision = invoke("AuthorizerFunction", eventFile("authorizer.json"));
        assertTrue(decision.get("isAuthorized").booleanValue());
        assertEquals(Json.MAPPER.createObjectNode().put("user_id", ""), decision.get("context"));
    }

    @ParameterizedTest
    @CsvSource({"image, ImageWorkerFunction", "video, VideoWorkerFunction", "audio, AudioWorkerFunction", "prompt, PromptWorkerFunction"})
    void workerEventsRunTheirTask(String engine, String function) {
        var event = eventTree("sqs-" + engine + "-run.json");
        var record = (ObjectNode) event.get("Records").get(0);
        var message = TaskMessage.fromJson(record.get("body").asText());
        var body = Json.MAPPER.createObjectNode();
        switch (engine) {
            case "image" -> body.put("prompt", "events").put("size", "64x64");
            case "video" -> body.put("prompt", "events").put("size", "64x64").put("duration_seconds", 1).put("fps", 2);
            case "audio" -> body.put("text", "events");
            default -> body.put("prompt", "events");
        }
        String id = message.taskId() + "-" + engine;
        tasks.create(Task.create(id, "demo-user", GenerationRequest.parse(message.engine(), body), "local", "m", Instant.now()));
        record.put("body", TaskMessage.run(id, message.engine()).toJson());
        var response = invoke(function, event);
        assertTrue(response.get("batchItemFailures").isEmpty(), response.toString());
        assertEquals(TaskStatus.SUCCEEDED, tasks.find(id).orElseThrow().status());
    }

    @Test
    void theScheduleEventRunsTheSweeper() {
        var answer = invoke("SweeperFunction", eventFile("schedule-sweeper.json"));
        assertTrue(answer.get("requeued").isInt(), answer.toString());
        assertTrue(answer.get("tasks").isArray(), answer.toString());
    }

    @Test
    void theSignedWebhookEventIsRejectedOnceStaleAndAcceptedWhenFresh() {
        var event = eventTree("webhook-local-succeeded.json");
        var stale = invoke("WebhookFunction", event);
        assertEquals(401, stale.get("statusCode").asInt(), "the sample's timestamp is long past: " + stale);

        var running = Task.create(EVENT_TASK, "demo-user", GenerationRequest.parse(com.genplatform.core.Engine.IMAGE,
                Json.MAPPER.createObjectNode().put("prompt", "webhook").put("size", "64x64")), "local", "flux", Instant.now());
        tasks.create(running);
        running = running.startAttempt(Instant.now());
        tasks.update(running);
        running = running.withProviderTask("local-" + EVENT_TASK + "-1", Instant.now());
        tasks.update(running);
        var fresh = LocalProvider.fromEnvironment(Map.of("LOCAL_WEBHOOK_SECRET", LocalProvider.DEVELOPMENT_WEBHOOK_SECRET)).callback(running);
        fresh.headers().forEach(((ObjectNode) event.get("headers"))::put);
        event.put("body", new String(fresh.rawBody(), StandardCharsets.UTF_8));
        var accepted = invoke("WebhookFunction", event);
        assertEquals(200, accepted.get("statusCode").asInt(), accepted.toString());
        assertEquals(TaskStatus.SUCCEEDED, tasks.find(EVENT_TASK).orElseThrow().status());
    }
}
