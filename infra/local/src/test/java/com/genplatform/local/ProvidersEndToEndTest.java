package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.local.replicate.ReplicateCompatibleServer;
import com.genplatform.providers.local.PngImage;
import com.genplatform.providers.local.WavAudio;
import com.genplatform.testsupport.FakeHttpServer;
import com.genplatform.testsupport.FakeHttpServer.Reply;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.LocalAwsExtension;
import com.genplatform.testsupport.MediaProbe;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each real provider client through the whole flow on the emulators: submit naming the provider, the
 * engine's worker calling a local server that answers as the provider's API does, the outputs copied into
 * S3, and the downloaded result checked.
 */
@ExtendWith(LocalAwsExtension.class)
class ProvidersEndToEndTest {
    private final LocalAws aws;

    ProvidersEndToEndTest(LocalAws aws) {
        this.aws = aws;
    }

    private JsonNode runToResult(LocalStack stack, String engine, String body) {
        return runToResult(stack, engine, body, Duration.ofMillis(1500));
    }

    /** @param quiet how long the queues must stay empty: longer than the provider's first poll delay */
    private JsonNode runToResult(LocalStack stack, String engine, String body, Duration quiet) {
        var client = new Client(stack.router());
        String key = stack.issueApiKey("u-" + UUID.randomUUID());
        var submitted = client.call("POST", "/api/v3/generate/" + engine, body, key);
        assertEquals(202, submitted.status(), submitted.json().toString());
        String id = submitted.json().get("id").asText();
        stack.drainQueues(quiet);
        var result = client.call("GET", "/api/v3/tasks/" + id + "/result", null, key);
        assertEquals(200, result.status(), result.json().toString());
        return result.json();
    }

    @Test
    void openAiServesPromptImageAndSpeech() throws Exception {
        var png = new ByteArrayOutputStream();
        PngImage.write("openai", 1, 0, 1024, 1024, png);
        var wav = new ByteArrayOutputStream();
        WavAudio.write("openai", 1, 2, wav);
        try (var openai = FakeHttpServer.start()) {
            openai.on("POST", "/v1/chat/completions", r -> Reply.json(200, """
                    {"id": "chatcmpl-1", "object": "chat.completion", "created": 1795548600, "model": "gpt-4o-mini",
                     "choices": [{"index": 0, "message": {"role": "assistant", "content": "A storm-lashed lighthouse, oil on canvas."},
                                  "finish_reason": "stop"}], "usage": {"prompt_tokens": 20, "completion_tokens": 9, "total_tokens": 29}}"""));
            openai.on("POST", "/v1/images/generations", r -> Reply.json(200, "{\"created\": 1795548600, \"data\": [{\"b64_json\": \""
                    + Base64.getEncoder().encodeToString(png.toByteArray()) + "\"}]}"));
            openai.on("POST", "/v1/audio/speech", r -> Reply.bytes(200, "audio/wav", wav.toByteArray()));
            try (var stack = new LocalStack(aws, Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", openai.baseUrl().toString()))) {
                var text = runToResult(stack, "prompt", "{\"prompt\": \"a lighthouse\", \"provider\": \"openai\", \"style\": \"oil\"}");
                assertEquals("A storm-lashed lighthouse, oil on canvas.",
                        new String(Client.download(text.get("url").asText()), StandardCharsets.UTF_8));
                var image = runToResult(stack, "image", "{\"prompt\": \"a lighthouse\", \"provider\": \"openai\"}");
                assertEquals(new MediaProbe.Picture(1024, 1024), MediaProbe.png(Client.download(image.get("url").asText())));
                var speech = runToResult(stack, "audio", "{\"text\": \"hello there\", \"provider\": \"openai\"}");
                assertEquals(2.0, MediaProbe.wav(Client.download(speech.get("url").asText())).seconds(), 1e-6);
            }
            assertTrue(openai.received().stream().allMatch(r -> "Bearer sk-test".equals(r.header("Authorization"))));
        }
    }

    @Test
    void stabilityElevenLabsAndRunway() throws Exception {
        var png = new ByteArrayOutputStream();
        PngImage.write("stability", 1, 0, 1344, 768, png);
        byte[] pcm = new byte[24_000 * 2]; // one second of 24 kHz 16-bit PCM
        var mp4 = java.nio.file.Files.createTempFile("runway-", ".mp4");
        com.genplatform.providers.local.Mp4Video.write("runway", 1, 128, 72, 4, 1, mp4.toFile());
        byte[] video = java.nio.file.Files.readAllBytes(mp4);
        java.nio.file.Files.delete(mp4);
        try (var fake = FakeHttpServer.start()) {
            fake.on("POST", "/v2beta/stable-image/generate/core", r -> Reply.bytes(200, "image/png", png.toByteArray()).withHeader("finish-reason", "SUCCESS"));
            fake.on("POST", "/v1/text-to-speech/.*", r -> Reply.bytes(200, "application/octet-stream", pcm));
            fake.on("POST", "/v1/image_to_video", r -> Reply.json(200, "{\"id\": \"rw-1\"}"));
            fake.on("GET", "/v1/tasks/rw-1", r -> Reply.json(200, "{\"id\": \"rw-1\", \"status\": \"SUCCEEDED\", \"output\": [\""
                    + fake.baseUrl() + "/out/rw-1.mp4\"]}"));
            fake.on("GET", "/out/rw-1.mp4", r -> Reply.bytes(200, "video/mp4", video));
            String base = fake.baseUrl().toString();
            try (var stack = new LocalStack(aws, Map.of("STABILITY_API_KEY", "sk-s", "STABILITY_BASE_URL", base,
                    "ELEVENLABS_API_KEY", "xi", "ELEVENLABS_BASE_URL", base, "RUNWAY_API_KEY", "key_r", "RUNWAY_BASE_URL", base,
                    "FIRST_POLL_SECONDS", "0"))) {
                var image = runToResult(stack, "image", "{\"prompt\": \"a lighthouse\", \"size\": \"1344x768\", \"provider\": \"stability\"}");
                assertEquals(new MediaProbe.Picture(1344, 768), MediaProbe.png(Client.download(image.get("url").asText())));
                var speech = runToResult(stack, "audio", "{\"text\": \"hello\", \"provider\": \"elevenlabs\"}");
                assertEquals(1.0, MediaProbe.wav(Client.download(speech.get("url").asText())).seconds(), 1e-9);
                var clip = runToResult(stack, "video", "{\"prompt\": \"pan\", \"image_url\": \"https://example.com/a.png\", "
                        + "\"size\": \"1280x720\", \"duration_seconds\": 5, \"provider\": \"runway\"}", Duration.ofSeconds(7));
                assertEquals(1.0, MediaProbe.mp4(Client.download(clip.get("url").asText())).seconds(), 0.3);
            }
        }
    }

    @Test
    void runwaysBadOutputStartsANewRunwayTaskWithinTheAttemptsCap() throws Exception {
        var mp4 = java.nio.file.Files.createTempFile("runway-", ".mp4");
        com.genplatform.providers.local.Mp4Video.write("runway", 1, 128, 72, 4, 1, mp4.toFile());
        byte[] video = java.nio.file.Files.readAllBytes(mp4);
        java.nio.file.Files.delete(mp4);
        String body = "{\"prompt\": \"pan\", \"image_url\": \"https://example.com/a.png\", "
                + "\"size\": \"1280x720\", \"duration_seconds\": 5, \"provider\": \"runway\"}";
        try (var fake = FakeHttpServer.start()) {
            var creates = new java.util.concurrent.atomic.AtomicInteger();
            fake.on("POST", "/v1/image_to_video", r -> Reply.json(200, "{\"id\": \"rw-" + creates.incrementAndGet() + "\"}"));
            fake.on("GET", "/v1/tasks/.*", r -> Reply.json(200, "{\"id\": \"rw\", \"status\": \"FAILED\", "
                    + "\"failure\": \"An internal error\", \"failureCode\": \"INTERNAL.BAD_OUTPUT.CODE01\"}"));
            fake.on("GET", "/v1/tasks/rw-2", r -> Reply.json(200, "{\"id\": \"rw-2\", \"status\": \"SUCCEEDED\", \"output\": [\""
                    + fake.baseUrl() + "/out/rw-2.mp4\"]}"));
            fake.on("GET", "/out/rw-2.mp4", r -> Reply.bytes(200, "video/mp4", video));
            Map<String, String> env = Map.of("RUNWAY_API_KEY", "key_r", "RUNWAY_BASE_URL", fake.baseUrl().toString(),
                    "FIRST_POLL_SECONDS", "0", "MAX_ATTEMPTS", "3");
            try (var stack = new LocalStack(aws, env)) {
                // The first Runway task fails with bad output: a second one is created, and it succeeds.
                var clip = runToResult(stack, "video", body, Duration.ofSeconds(7));
                assertEquals(1.0, MediaProbe.mp4(Client.download(clip.get("url").asText())).seconds(), 0.3);
                assertEquals(2, creates.get(), "a new Runway task, not the failed one polled again");

                // Every Runway task fails: the task ends after MAX_ATTEMPTS creates.
                fake.on("GET", "/v1/tasks/rw-2", r -> Reply.json(200, "{\"id\": \"rw-2\", \"status\": \"FAILED\", "
                        + "\"failure\": \"An internal error\", \"failureCode\": \"INTERNAL.BAD_OUTPUT.CODE01\"}"));
                creates.set(0);
                var client = new Client(stack.router());
                String key = stack.issueApiKey("u-" + UUID.randomUUID());
                String id = client.call("POST", "/api/v3/generate/video", body, key).json().get("id").asText();
                stack.drainQueues(Duration.ofSeconds(7));
                var result = client.call("GET", "/api/v3/tasks/" + id + "/result", null, key);
                assertEquals(409, result.status(), result.json().toString());
                assertEquals("retries_exhausted", result.json().get("error").get("task_error").get("code").asText());
                assertEquals(3, creates.get());
            }
        }
    }

    @Test
    void replicateWithoutWebhooksPollsToTheResult() throws Exception {
        String secret = ReplicateCompatibleServer.newWebhookSecret();
        try (var replicate = new ReplicateCompatibleServer(0, new ReplicateCompatibleServer.Options("token", secret, Duration.ofMillis(200), 0, false), line -> { });
             var stack = new LocalStack(aws, Map.of("REPLICATE_API_TOKEN", "token", "REPLICATE_BASE_URL", replicate.baseUrl().toString(),
                     "REPLICATE_WEBHOOKS", "false", "FIRST_POLL_SECONDS", "1"))) {
            var result = runToResult(stack, "audio", "{\"prompt\": \"rain on a tin roof\", \"duration_seconds\": 3, \"provider\": \"replicate\"}",
                    Duration.ofSeconds(4));
            assertEquals(3.0, MediaProbe.wav(Client.download(result.get("url").asText())).seconds(), 1e-6);
        }
    }
}
