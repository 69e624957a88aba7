package com.genplatform.providers.replicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.WebhookDelivery;
import com.genplatform.core.provider.WebhookRejectedException;
import com.genplatform.providers.ProviderContractTest;
import com.genplatform.providers.webhooks.StandardWebhooks;
import com.genplatform.testsupport.FakeHttpServer;
import com.genplatform.testsupport.FakeHttpServer.Reply;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Replicate's predictions API as documented: 201 on create, polled to "succeeded", outputs as file URLs. */
class ReplicateContractTest extends ProviderContractTest {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String PREDICTION_ID = "gm3qorzdhgbfurvjtvhg6dckhu";

    @Override
    protected GenerationProvider provider(URI baseUrl, Duration timeout) {
        return new ReplicateProvider(URI.create(baseUrl + "/v1"), TEST_KEY, SECRET, true, timeout, Clock.systemUTC(), Duration.ofMinutes(60));
    }

    @Override
    protected Engine engine() {
        return Engine.IMAGE;
    }

    @Override
    protected String requestBody() {
        return "{\"prompt\": \"an astronaut riding a rainbow unicorn\", \"size\": \"1024x576\", \"num_outputs\": 2, \"seed\": 5}";
    }

    @Override
    protected String expectedContentType() {
        return "image/png";
    }

    static String prediction(String status, String output, String error, String logs) {
        return """
                {"id": "%s", "model": "black-forest-labs/flux-schnell", "version": "dp-4d0bcc010b3049749a251855f12800be",
                 "input": {"prompt": "an astronaut riding a rainbow unicorn"}, "logs": %s, "output": %s, "data_removed": false,
                 "error": %s, "status": "%s", "created_at": "2026-11-24T10:00:00.000Z",
                 "urls": {"cancel": "https://api.replicate.com/v1/predictions/%s/cancel", "get": "https://api.replicate.com/v1/predictions/%s",
                          "web": "https://replicate.com/p/%s"}}""".formatted(PREDICTION_ID, Json.MAPPER.valueToTree(logs), output,
                error == null ? "null" : "\"" + error + "\"", status, PREDICTION_ID, PREDICTION_ID, PREDICTION_ID);
    }

    @Override
    protected void answerSuccess(FakeHttpServer server) {
        String files = server.baseUrl() + "/files/" + PREDICTION_ID;
        server.on("POST", "/v1/models/black-forest-labs/flux-schnell/predictions", r -> Reply.json(201, prediction("starting", "null", null, "")));
        var polls = new AtomicInteger();
        server.on("GET", "/v1/predictions/" + PREDICTION_ID, r -> polls.incrementAndGet() == 1
                ? Reply.json(200, prediction("processing", "null", null, "Using seed: 5\n 50%|#####     | 2/4"))
                : Reply.json(200, prediction("succeeded", "[\"" + files + "/out-0.png\", \"" + files + "/out-1.png\"]", null, "100%|##########| 4/4")));
        server.on("GET", "/files/.*", r -> Reply.bytes(200, "image/png", png()));
    }

    @Override
    protected void answerError(FakeHttpServer server, int status, String message, Map<String, String> headers) {
        server.on("POST", "/v1/.*", r -> {
            Reply reply = Reply.json(status, "{\"title\": \"Error\", \"detail\": \"" + message + "\", \"status\": " + status + "}");
            for (var header : headers.entrySet()) reply = reply.withHeader(header.getKey(), header.getValue());
            return reply;
        });
    }

    @Override
    protected void answerContentFiltered(FakeHttpServer server) {
        server.on("POST", "/v1/.*", r -> Reply.json(201, prediction("starting", "null", null, "")));
        server.on("GET", "/v1/predictions/.*", r -> Reply.json(200, prediction("failed", "null",
                "NSFW content detected. Try running it again, or try a different prompt.", "")));
    }

    private static byte[] png() {
        try {
            var out = new ByteArrayOutputStream();
            com.genplatform.providers.local.PngImage.write("x", 1, 0, 8, 8, out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void createsOnTheOfficialModelWithWebhookFilterAndDeadline() {
        answerSuccess(server);
        var provider = provider(server.baseUrl(), Duration.ofSeconds(5));
        Task task = task();
        var accepted = assertInstanceOf(ProviderAnswer.Accepted.class, provider.start(task, "https://api.example.com/api/v3/webhooks/replicate?task=" + task.id()));
        assertEquals(PREDICTION_ID, accepted.providerTaskId());
        assertEquals(ProviderAnswer.Callback.WEBHOOK, accepted.callback());
        var create = server.received().getFirst();
        assertEquals("Bearer " + TEST_KEY, create.header("Authorization"));
        assertEquals("60m", create.header("Cancel-After"));
        var body = read(create.text());
        assertEquals("https://api.example.com/api/v3/webhooks/replicate?task=" + task.id(), body.get("webhook").asText());
        assertEquals("[\"start\",\"completed\"]", body.get("webhook_events_filter").toString());
        var input = body.get("input");
        assertEquals("16:9", input.get("aspect_ratio").asText());
        assertEquals(2, input.get("num_outputs").asInt());
        assertEquals(5, input.get("seed").asInt());
        assertEquals("png", input.get("output_format").asText());
    }

    @Test
    void aPinnedVersionIsCreatedThroughPredictions() {
        String version = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa";
        server.on("POST", "/v1/predictions", r -> Reply.json(201, prediction("starting", "null", null, "")));
        var provider = provider(server.baseUrl(), Duration.ofSeconds(5));
        Task base = task();
        Task pinned = new Task(base.id(), base.userId(), base.engine(), base.provider(), "stability-ai/sdxl:" + version, base.request(),
                base.status(), null, null, base.attempts(), null, base.outputs(), base.createdAt(), base.startedAt(), null, base.updatedAt(), base.version());
        provider.start(pinned, "https://example.com/hook");
        assertEquals("stability-ai/sdxl:" + version, read(server.received().getFirst().text()).get("version").asText());
    }

    @Test
    void unknownStatusesAreStillRunningAndLogsGiveProgress() {
        var provider = (ReplicateProvider) provider(server.baseUrl(), Duration.ofSeconds(5));
        var running = assertInstanceOf(ProviderAnswer.Running.class,
                provider.answer(task(), read(prediction("warming_up", "null", null, "10%|# \n 73%|#######"))));
        assertEquals(73, running.progress());
        assertNull(ReplicateProvider.progress("no percentages here"));
    }

    @Test
    void theCancelAfterDeadlineIsThePlatformsProcessingDeadline() {
        answerSuccess(server);
        var provider = ReplicateProvider.fromEnvironment(Map.of("REPLICATE_API_TOKEN", TEST_KEY,
                "REPLICATE_BASE_URL", server.baseUrl() + "/v1", "MAX_PROCESSING_MINUTES", "45")).orElseThrow();
        provider.start(task(), "https://example.com/hook");
        assertEquals("45m", server.received().getFirst().header("Cancel-After"));
    }

    @Test
    void aCancelTheUserDidNotAskForIsATimeout() {
        var provider = provider(server.baseUrl(), Duration.ofSeconds(5));
        for (String status : new String[] {"canceled", "aborted"}) {
            server.on("GET", "/v1/predictions/" + PREDICTION_ID, r -> Reply.json(200, prediction(status, "null", null, "")));
            var failed = assertInstanceOf(ProviderAnswer.Failed.class,
                    provider.check(task().withProviderTask(PREDICTION_ID, Instant.now())), status);
            assertEquals(TaskError.TIMEOUT, failed.error().code());
        }
        // A task the user canceled stays a cancel.
        Task canceled = task().withProviderTask(PREDICTION_ID, Instant.now()).cancel(Instant.now());
        assertInstanceOf(ProviderAnswer.Canceled.class, provider.check(canceled));
    }

    @Test
    void cancelAsksReplicateToStop() {
        server.on("POST", "/v1/predictions/" + PREDICTION_ID + "/cancel", r -> Reply.json(200, prediction("canceled", "null", null, "")));
        provider(server.baseUrl(), Duration.ofSeconds(5)).cancel(task().withProviderTask(PREDICTION_ID, Instant.now()));
        assertEquals("/v1/predictions/" + PREDICTION_ID + "/cancel", server.received().getFirst().path());
    }

    // ---------- webhooks: valid, wrong secret, stale timestamp, tampered body ----------

    private static WebhookDelivery signed(String secret, String id, long timestamp, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new WebhookDelivery(Map.of(StandardWebhooks.ID, id, StandardWebhooks.TIMESTAMP, Long.toString(timestamp),
                StandardWebhooks.SIGNATURE, new StandardWebhooks(secret).sign(id, timestamp, bytes)), bytes);
    }

    @Test
    void aValidWebhookCarriesThePredictionsAnswer() throws Exception {
        answerSuccess(server);
        String files = server.baseUrl() + "/files/" + PREDICTION_ID;
        String body = prediction("succeeded", "[\"" + files + "/out-0.png\"]", null, "");
        var event = provider(server.baseUrl(), Duration.ofSeconds(5)).verifyWebhook(signed(SECRET, "msg_1", Instant.now().getEpochSecond(), body));
        assertEquals("msg_1", event.deliveryId());
        assertEquals(PREDICTION_ID, event.providerTaskId());
        var done = assertInstanceOf(ProviderAnswer.Done.class, event.answer().apply(task()));
        try (var in = done.outputs().getFirst().source().open()) {
            assertTrue(in.readAllBytes().length > 0);
        }
        assertTrue(server.received().stream().noneMatch(r -> r.path().startsWith("/v1/predictions/")), "no second call to learn the state");
    }

    @Test
    void forgedStaleOrTamperedWebhooksAreRejected() {
        var provider = provider(server.baseUrl(), Duration.ofSeconds(5));
        long now = Instant.now().getEpochSecond();
        String body = prediction("succeeded", "[]", null, "");
        assertThrows(WebhookRejectedException.class, () -> provider.verifyWebhook(signed("whsec_" + java.util.Base64.getEncoder()
                .encodeToString("someone else".getBytes()), "msg_1", now, body)));
        assertThrows(WebhookRejectedException.class, () -> provider.verifyWebhook(signed(SECRET, "msg_1", now - 600, body)));
        var genuine = signed(SECRET, "msg_1", now, body);
        var tampered = new WebhookDelivery(genuine.headers(), body.replace("succeeded", "failed").getBytes(StandardCharsets.UTF_8));
        assertThrows(WebhookRejectedException.class, () -> provider.verifyWebhook(tampered));
        var filtered = assertInstanceOf(ProviderAnswer.Failed.class, provider.verifyWebhook(signed(SECRET, "msg_2", now,
                prediction("failed", "null", "NSFW content detected.", ""))).answer().apply(task()));
        assertEquals(TaskError.CONTENT_FILTERED, filtered.error().code());
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
