package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.genplatform.aws.DynamoTaskStore;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.port.TaskMessage;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.providers.local.LocalProvider;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.LocalAwsExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sample events in events/ (the files `sam local invoke -e` takes), fed to the functions that template.yaml names. */
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

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "api-submit-image.json, 202", "api-submit-video.json, 202", "api-submit-audio.json, 202",
            "api-submit-prompt.json, 202", "api-submit-invalid.json, 400", "api-list-tasks.json, 200",
            "api-health.json, 200", "api-no-key.json, 401"})
    void apiEvents(String file, int status) {
        var event = EventLoader.loadApiGatewayHttpEvent("events/" + file);
        var response = (APIGatewayV2HTTPResponse) stack.functions().invoke("ApiFunction", event);
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
    }

    @Test
    void taskEventsOnTheirTask() {
        var task = Task.create(EVENT_TASK + "-api", "demo-user", GenerationRequest.parse(com.genplatform.core.Engine.PROMPT,
                Json.MAPPER.createObjectNode().put("prompt", "events")), "local", "local-prompt", Instant.now());
        tasks.create(task);
        for (String file : new String[] {"api-get-task.json", "api-get-result.json", "api-cancel-task.json"}) {
            var event = EventLoader.loadApiGatewayHttpEvent("events/" + file);
            event.getPathParameters().put("id", task.id());
            var response = (APIGatewayV2HTTPResponse) stack.functions().invoke("ApiFunction", event);
            int expected = file.contains("result") ? 409 : 200;
            assertEquals(expected, response.getStatusCode(), file + ": " + response.getBody());
        }
        assertEquals(TaskStatus.CANCELED, tasks.find(task.id()).orElseThrow().status());
    }

    @Test
    void authorizerEventWithAnUnknownKeyGivesNoUser() {
        var event = EventLoader.loadEvent("events/authorizer.json",
                com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent.class);
        var decision = (Map<?, ?>) stack.functions().invoke("AuthorizerFunction", event);
        assertEquals(true, decision.get("isAuthorized"));
        assertEquals(Map.of("user_id", ""), decision.get("context"));
    }

    @ParameterizedTest
    @CsvSource({"image, ImageWorkerFunction", "video, VideoWorkerFunction", "audio, AudioWorkerFunction", "prompt, PromptWorkerFunction"})
    void workerEventsRunTheirTask(String engine, String function) {
        var event = EventLoader.loadSQSEvent("events/sqs-" + engine + "-run.json");
        var message = TaskMessage.fromJson(event.getRecords().getFirst().getBody());
        var body = Json.MAPPER.createObjectNode();
        switch (engine) {
            case "image" -> body.put("prompt", "events").put("size", "64x64");
            case "video" -> body.put("prompt", "events").put("size", "64x64").put("duration_seconds", 1).put("fps", 2);
            case "audio" -> body.put("text", "events");
            default -> body.put("prompt", "events");
        }
        String id = message.taskId() + "-" + engine;
        tasks.create(Task.create(id, "demo-user", GenerationRequest.parse(message.engine(), body), "local", "m", Instant.now()));
        event.getRecords().getFirst().setBody(TaskMessage.run(id, message.engine()).toJson());
        var response = (SQSBatchResponse) stack.functions().invoke(function, event);
        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(TaskStatus.SUCCEEDED, tasks.find(id).orElseThrow().status());
    }

    @Test
    void theSignedWebhookEventIsRejectedOnceStaleAndAcceptedWhenFresh() {
        var event = EventLoader.loadApiGatewayHttpEvent("events/webhook-local-succeeded.json");
        var stale = (APIGatewayV2HTTPResponse) stack.functions().invoke("WebhookFunction", event);
        assertEquals(401, stale.getStatusCode(), "the sample's timestamp is long past: " + stale.getBody());

        var running = Task.create(EVENT_TASK, "demo-user", GenerationRequest.parse(com.genplatform.core.Engine.IMAGE,
                Json.MAPPER.createObjectNode().put("prompt", "webhook").put("size", "64x64")), "local", "flux", Instant.now());
        tasks.create(running);
        running = running.startAttempt(Instant.now());
        tasks.update(running);
        running = running.withProviderTask("local-" + EVENT_TASK + "-1", Instant.now());
        tasks.update(running);
        var fresh = LocalProvider.fromEnvironment(Map.of()).callback(running);
        event.setHeaders(new java.util.HashMap<>(event.getHeaders()));
        event.getHeaders().putAll(fresh.headers());
        event.setBody(new String(fresh.rawBody()));
        var accepted = (APIGatewayV2HTTPResponse) stack.functions().invoke("WebhookFunction", event);
        assertEquals(200, accepted.getStatusCode(), accepted.getBody());
        assertEquals(TaskStatus.SUCCEEDED, tasks.find(EVENT_TASK).orElseThrow().status());
    }
}
