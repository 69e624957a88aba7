package com.genplatform.providers.runway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.providers.ProviderContractTest;
import com.genplatform.testsupport.FakeHttpServer;
import com.genplatform.testsupport.FakeHttpServer.Reply;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Runway's task API as documented: {id} on create, then PENDING / THROTTLED / RUNNING / SUCCEEDED with output URLs. */
class RunwayContractTest extends ProviderContractTest {
    static final String TASK_ID = "17f20503-6c24-4c16-946b-35dbbce2af2f";

    @Override
    protected GenerationProvider provider(URI baseUrl, Duration timeout) {
        return new RunwayProvider(baseUrl, TEST_KEY, timeout);
    }

    @Override
    protected Engine engine() {
        return Engine.VIDEO;
    }

    @Override
    protected String requestBody() {
        return "{\"prompt\": \"a slow pan over a misty forest\", \"image_url\": \"https://example.com/forest.png\", "
                + "\"size\": \"1280x720\", \"duration_seconds\": 5, \"seed\": 9}";
    }

    @Override
    protected String expectedContentType() {
        return "video/mp4";
    }

    static String task(String status, String extra) {
        return "{\"id\": \"" + TASK_ID + "\", \"status\": \"" + status + "\", \"createdAt\": \"2026-11-24T10:00:00.000Z\"" + extra + "}";
    }

    @Override
    protected void answerSuccess(FakeHttpServer server) {
        server.on("POST", "/v1/image_to_video", r -> Reply.json(200, "{\"id\": \"" + TASK_ID + "\"}"));
        var polls = new AtomicInteger();
        server.on("GET", "/v1/tasks/" + TASK_ID, r -> switch (polls.incrementAndGet()) {
            case 1 -> Reply.json(200, task("THROTTLED", ""));
            case 2 -> Reply.json(200, task("RUNNING", ", \"progress\": 0.42"));
            default -> Reply.json(200, task("SUCCEEDED", ", \"output\": [\"" + server.baseUrl() + "/outputs/video.mp4\"]"));
        });
        server.on("GET", "/outputs/video.mp4", r -> Reply.bytes(200, "video/mp4", new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'}));
    }

    @Override
    protected void answerError(FakeHttpServer server, int status, String message, Map<String, String> headers) {
        server.on("POST", "/v1/.*", r -> {
            Reply reply = Reply.json(status, "{\"error\": \"" + message + "\"}");
            for (var header : headers.entrySet()) reply = reply.withHeader(header.getKey(), header.getValue());
            return reply;
        });
    }

    @Override
    protected void answerContentFiltered(FakeHttpServer server) {
        server.on("POST", "/v1/image_to_video", r -> Reply.json(200, "{\"id\": \"" + TASK_ID + "\"}"));
        server.on("GET", "/v1/tasks/.*", r -> Reply.json(200, task("FAILED",
                ", \"failure\": \"Your input was flagged by our content moderation.\", \"failureCode\": \"SAFETY.INPUT.TEXT\"")));
    }

    @Test
    void sendsTheVersionHeaderAndTheDocumentedFields() {
        answerSuccess(server);
        var answer = runToEnd(provider(server.baseUrl(), Duration.ofSeconds(5)));
        assertInstanceOf(ProviderAnswer.Done.class, answer);
        var create = server.received().getFirst();
        assertEquals("2024-11-06", create.header("X-Runway-Version"));
        assertEquals("Bearer " + TEST_KEY, create.header("Authorization"));
        var body = read(create.text());
        assertEquals("gen4_turbo", body.get("model").asText());
        assertEquals("https://example.com/forest.png", body.get("promptImage").asText());
        assertEquals("1280:720", body.get("ratio").asText());
        assertEquals(5, body.get("duration").asInt());
        assertTrue(server.received().stream().allMatch(r -> r.path().startsWith("/outputs") || "2024-11-06".equals(r.header("X-Runway-Version"))));
    }

    @Test
    void throttledIsQueuedNotFailedAndUnknownStatusesKeepRunning() {
        server.on("GET", "/v1/tasks/.*", r -> Reply.json(200, task("THROTTLED", "")));
        var provider = provider(server.baseUrl(), Duration.ofSeconds(5));
        var running = assertInstanceOf(ProviderAnswer.Running.class, provider.check(task().withProviderTask(TASK_ID, Instant.now())));
        assertNull(running.progress());
        server.on("GET", "/v1/tasks/.*", r -> Reply.json(200, task("WARMING_UP_THE_GPUS", "")));
        assertInstanceOf(ProviderAnswer.Running.class, provider.check(task().withProviderTask(TASK_ID, Instant.now())));
    }

    @Test
    void badOutputIsRetryableAndCancelDeletesTheTask() {
        server.on("GET", "/v1/tasks/.*", r -> Reply.json(200, task("FAILED", ", \"failure\": \"An internal error\", \"failureCode\": \"INTERNAL.BAD_OUTPUT.CODE01\"")));
        var provider = provider(server.baseUrl(), Duration.ofSeconds(5));
        var retry = assertInstanceOf(ProviderAnswer.Retry.class, provider.check(task().withProviderTask(TASK_ID, Instant.now())));
        assertTrue(retry.error().message().contains("INTERNAL.BAD_OUTPUT.CODE01"), retry.error().message());
        server.on("DELETE", "/v1/tasks/.*", r -> new Reply(204, Map.of(), new byte[0], Duration.ZERO));
        provider.cancel(task().withProviderTask(TASK_ID, Instant.now()));
        assertEquals("DELETE", server.received().getLast().method());
        server.on("DELETE", "/v1/tasks/.*", r -> Reply.json(404, "{\"error\": \"Task not found\"}"));
        provider.cancel(task().withProviderTask(TASK_ID, Instant.now())); // already gone: fine
    }

    @Test
    void refusesWhatTheModelCannotMake() {
        var provider = provider(server.baseUrl(), Duration.ofSeconds(5));
        assertEquals(List.of(), provider.unsupported(request("{\"prompt\": \"p\", \"image_url\": \"https://e.com/a.png\", \"size\": \"960x960\", \"duration_seconds\": 10}")));
        assertEquals(List.of("size", "duration_seconds"), fields(provider.unsupported(request(
                "{\"prompt\": \"p\", \"image_url\": \"https://e.com/a.png\", \"size\": \"640x480\", \"duration_seconds\": 30}"))));
        assertEquals(List.of("image_url"), fields(provider.unsupported(request(
                "{\"prompt\": \"p\", \"model\": \"gen4_turbo\", \"size\": \"1280x720\", \"duration_seconds\": 5}"))));
        // no image and no model named: text-to-video with veo3
        assertEquals("veo3", provider.defaultModel(request("{\"prompt\": \"p\", \"size\": \"1280x720\", \"duration_seconds\": 8}")));
        assertEquals(List.of(), provider.unsupported(request("{\"prompt\": \"p\", \"size\": \"1280x720\", \"duration_seconds\": 8}")));
        assertEquals(List.of("model"), fields(provider.unsupported(request("{\"prompt\": \"p\", \"model\": \"sora\"}"))));
    }

    private static GenerationRequest request(String json) {
        return GenerationRequest.parse(Engine.VIDEO, read(json));
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
