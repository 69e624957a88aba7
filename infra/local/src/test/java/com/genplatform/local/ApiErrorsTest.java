package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.aws.DynamoTaskStore;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.request.CommonFields;
import com.genplatform.core.request.ImageRequest;
import com.genplatform.core.request.Size;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.LocalAwsExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Bad input on every route answers 4xx in the one error shape, and callers only ever see their own tasks. */
@ExtendWith(LocalAwsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiErrorsTest {
    private final LocalAws aws;
    private LocalStack stack;
    private Client client;
    private String key;

    ApiErrorsTest(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeAll
    void start() {
        stack = new LocalStack(aws, Map.of());
        client = new Client(stack.router());
        key = stack.issueApiKey("u-" + UUID.randomUUID());
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    private static JsonNode error(Client.Answer answer, int status, String code) {
        assertEquals(status, answer.status(), String.valueOf(answer.json()));
        JsonNode error = answer.json().get("error");
        assertNotNull(error, "the error shape: " + answer.json());
        assertEquals(code, error.get("code").asText());
        assertTrue(error.get("message").asText().length() > 10);
        assertNotNull(error.get("request_id"));
        return error;
    }

    @Test
    void invalidBodiesNameEveryBadFieldAndStoreNothing() {
        String user = "u-" + UUID.randomUUID();
        String own = stack.issueApiKey(user);
        stack.drainQueues(Duration.ofMillis(200)); // what other tests left queued
        var answer = client.call("POST", "/api/v3/generate/image",
                "{\"size\": \"10x10\", \"num_outputs\": 9, \"colour\": \"red\"}", own);
        JsonNode error = error(answer, 400, "validation_error");
        Set<String> fields = new HashSet<>();
        error.get("details").forEach(d -> fields.add(d.get("field").asText()));
        assertEquals(Set.of("prompt", "size", "num_outputs", "colour"), fields);
        assertEquals(0, client.call("GET", "/api/v3/tasks", null, own).json().get("items").size(), "no half-written task");
        assertEquals(0, stack.drainQueues(Duration.ofMillis(200)), "nothing queued");
    }

    @Test
    void malformedRequestsOnTheSubmitRoute() {
        error(client.call("POST", "/api/v3/generate/image", "{\"prompt\": ", key), 400, "bad_request");
        error(client.call("POST", "/api/v3/generate/image", "[1, 2]", key), 400, "validation_error");
        error(client.call("POST", "/api/v3/generate/image", "", key), 400, "validation_error");
        error(client.call("POST", "/api/v3/generate/sculpture", "{\"prompt\": \"p\"}", key), 404, "not_found");
        var textBody = client.send("POST", "/api/v3/generate/image",
                Map.of("Authorization", "Bearer " + key, "Content-Type", "text/plain"), "prompt=p".getBytes(StandardCharsets.UTF_8));
        error(textBody, 415, "unsupported_media_type");
        String huge = "{\"prompt\": \"" + "x".repeat(70_000) + "\"}";
        error(client.call("POST", "/api/v3/generate/image", huge, key), 413, "payload_too_large");
        error(client.call("POST", "/api/v3/generate/audio", "{\"text\": \"hi\", \"format\": \"mp3\"}", key), 400, "validation_error");
        error(client.call("POST", "/api/v3/generate/image", "{\"prompt\": \"p\", \"provider\": \"nobody\"}", key), 400, "validation_error");
    }

    @Test
    void badListParametersAndUnknownTasks() {
        JsonNode error = error(client.call("GET", "/api/v3/tasks?engine=smell&status=done&limit=0&sort=asc", null, key), 400, "validation_error");
        assertEquals(4, error.get("details").size());
        error(client.call("GET", "/api/v3/tasks?cursor=garbage", null, key), 400, "validation_error");
        String missing = UUID.randomUUID().toString();
        error(client.call("GET", "/api/v3/tasks/" + missing, null, key), 404, "not_found");
        error(client.call("GET", "/api/v3/tasks/" + missing + "/result", null, key), 404, "not_found");
        error(client.call("POST", "/api/v3/tasks/" + missing + "/cancel", null, key), 404, "not_found");
        assertEquals(404, client.call("DELETE", "/api/v3/tasks/" + missing, null, key).status());
    }

    @Test
    void aBodyNestedPastTheParsersLimitIsABadBody() {
        String deep = "{\"prompt\": \"p\", \"metadata\": {\"a\": " + "[".repeat(2000) + "]".repeat(2000) + "}}";
        JsonNode error = error(client.call("POST", "/api/v3/generate/image", deep, key), 400, "validation_error");
        assertEquals("body", error.get("details").get(0).get("field").asText());
        assertTrue(error.get("details").get(0).get("message").asText().contains("nesting depth"), error.toString());
    }

    @Test
    void idsAndCursorsPastTheKeyLimitsNameTheirField() {
        String longId = "x".repeat(3000); // DynamoDB's hash key limit is 2048 bytes
        for (var route : List.of(List.of("GET", "/api/v3/tasks/" + longId), List.of("GET", "/api/v3/tasks/" + longId + "/result"),
                List.of("POST", "/api/v3/tasks/" + longId + "/cancel"))) {
            JsonNode error = error(client.call(route.get(0), route.get(1), null, key), 400, "validation_error");
            assertEquals("id", error.get("details").get(0).get("field").asText(), route.get(0) + " " + route.get(1).replace(longId, "{id}"));
        }
        // Well formed as the API's cursors are, but naming a key longer than DynamoDB takes.
        String cursorJson = Json.MAPPER.createObjectNode().put("id", longId).put("k", "20261201T000000.000000Z#" + longId).toString();
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(cursorJson.getBytes(StandardCharsets.UTF_8));
        JsonNode error = error(client.call("GET", "/api/v3/tasks?cursor=" + cursor, null, key), 400, "validation_error");
        assertEquals("cursor", error.get("details").get(0).get("field").asText());
    }

    @Test
    void aStoredRequestTheStricterParserWouldRejectStillReads() {
        String user = "u-" + UUID.randomUUID();
        String own = stack.issueApiKey(user);
        // Accepted under rules since tightened (nine outputs, where four is now the most) and carrying a field since dropped.
        var request = new ImageRequest("a fox", null, null, new Size(64, 64), 9, null, "local", new CommonFields(null, null, null, null));
        Task task = Task.create(UUID.randomUUID().toString(), user, request, "local", "local-image", Instant.now());
        var store = new DynamoTaskStore(aws.dynamoDb(), aws.ref("TasksTable"), Duration.ofDays(1));
        store.create(task);
        String stored = request.toJson().put("style_preset", "retired").toString();
        aws.dynamoDb().updateItem(b -> b.tableName(aws.ref("TasksTable")).key(Map.of("id", AttributeValue.fromS(task.id())))
                .updateExpression("SET #r = :r").expressionAttributeNames(Map.of("#r", "request"))
                .expressionAttributeValues(Map.of(":r", AttributeValue.fromS(stored))));
        var answer = client.call("GET", "/api/v3/tasks/" + task.id(), null, own);
        assertEquals(200, answer.status(), String.valueOf(answer.json()));
        assertEquals(9, answer.json().get("request").get("num_outputs").asInt());
        assertEquals(1, client.call("GET", "/api/v3/tasks", null, own).json().get("items").size());
        assertEquals(200, client.call("POST", "/api/v3/tasks/" + task.id() + "/cancel", null, own).status());
    }

    @Test
    void keysAreRequiredAndChecked() {
        assertEquals(401, client.call("GET", "/api/v3/tasks", null, null).status(), "no key: API Gateway's own 401");
        error(client.call("GET", "/api/v3/tasks", null, "gp_not-a-real-key"), 401, "unauthorized");
        var health = client.call("GET", "/api/v3/health", null, null);
        assertEquals(200, health.status());
        assertEquals("ok", health.json().get("status").asText());
        assertEquals("local", health.json().get("providers").get(0).get("name").asText());
    }

    @Test
    void anotherUsersTaskIsNotFound() {
        String id = client.call("POST", "/api/v3/generate/prompt", "{\"prompt\": \"mine\"}", key).json().get("id").asText();
        String stranger = stack.issueApiKey("u-" + UUID.randomUUID());
        error(client.call("GET", "/api/v3/tasks/" + id, null, stranger), 404, "not_found");
        error(client.call("GET", "/api/v3/tasks/" + id + "/result", null, stranger), 404, "not_found");
        error(client.call("POST", "/api/v3/tasks/" + id + "/cancel", null, stranger), 404, "not_found");
        assertEquals(0, client.call("GET", "/api/v3/tasks", null, stranger).json().get("items").size());
        assertEquals(200, client.call("GET", "/api/v3/tasks/" + id, null, key).status());
    }

    @Test
    void listsPageNewestFirst() {
        String own = stack.issueApiKey("u-" + UUID.randomUUID());
        for (int i = 0; i < 5; i++) {
            client.call("POST", "/api/v3/generate/prompt", "{\"prompt\": \"p" + i + "\"}", own);
        }
        client.call("POST", "/api/v3/generate/image", "{\"prompt\": \"img\", \"size\": \"64x64\"}", own);
        var first = client.call("GET", "/api/v3/tasks?limit=4", null, own).json();
        assertEquals(4, first.get("items").size());
        assertEquals("image", first.get("items").get(0).get("engine").asText());
        var second = client.call("GET", "/api/v3/tasks?limit=4&cursor=" + first.get("next_cursor").asText(), null, own).json();
        assertEquals(2, second.get("items").size());
        assertNull(second.get("next_cursor"));
        assertEquals(5, client.call("GET", "/api/v3/tasks?engine=prompt&status=pending", null, own).json().get("items").size());
        stack.drainQueues(Duration.ofMillis(300));
    }

    @Test
    void aVideoTheLocalProviderCannotMakeWithinItsWorkersTimeoutIsRefusedAtSubmit() {
        String own = stack.issueApiKey("u-" + UUID.randomUUID());
        var tooMuch = client.call("POST", "/api/v3/generate/video",
                "{\"prompt\": \"waves\", \"size\": \"1920x1080\", \"fps\": 60, \"duration_seconds\": 60}", own);
        JsonNode error = error(tooMuch, 400, "validation_error");
        assertEquals(1, error.get("details").size(), error.toString());
        assertEquals("duration_seconds", error.get("details").get(0).get("field").asText());
        assertTrue(error.get("details").get(0).get("message").asText().contains("at most 2 seconds"), error.toString());
        assertEquals(0, client.call("GET", "/api/v3/tasks", null, own).json().get("items").size(), "no task stored");

        // The bound itself is accepted (then canceled: making it takes about a minute).
        var atTheBound = client.call("POST", "/api/v3/generate/video",
                "{\"prompt\": \"waves\", \"size\": \"1920x1080\", \"fps\": 24, \"duration_seconds\": 5}", own);
        assertEquals(202, atTheBound.status(), String.valueOf(atTheBound.json()));
        String id = atTheBound.json().get("id").asText();
        assertEquals(200, client.call("POST", "/api/v3/tasks/" + id + "/cancel", null, own).status());
        error(client.call("POST", "/api/v3/generate/video",
                "{\"prompt\": \"waves\", \"size\": \"1920x1080\", \"fps\": 24, \"duration_seconds\": 6}", own), 400, "validation_error");
    }
}
