package com.genplatform.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.provider.GeneratedOutput;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.ProviderException;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.testsupport.FakeHttpServer;
import com.genplatform.testsupport.MediaProbe;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OpenAI's wire format: what the client sends, what it refuses up front, and how it reads OpenAI's answers. */
class OpenAiProviderTest {
    private static final String KEY = "sk-test-3f9a71c2";

    private FakeHttpServer server;
    private OpenAiProvider provider;

    @BeforeEach
    void start() {
        server = FakeHttpServer.start();
        provider = new OpenAiProvider(server.baseUrl(), KEY, Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // --- prompt -----------------------------------------------------------------------------------------

    @Test
    void promptAsksChatCompletionsToRewriteForTheTargetEngineAndStyle() throws Exception {
        server.on("POST", OpenAiChat.PATH, r -> FakeHttpServer.Reply.json(200,
                OpenAiFixtures.chatCompletion("A misty harbour at dawn, in pale ink washes.", "stop")));

        var done = assertInstanceOf(ProviderAnswer.Done.class, provider.start(task(Engine.PROMPT, """
                {"prompt": "a harbour at dawn", "target_engine": "video", "style": "ink wash", "max_tokens": 200}
                """), null));

        var received = only();
        assertEquals("Bearer " + KEY, received.header("Authorization"));
        assertTrue(received.header("Content-Type").startsWith("application/json"));
        JsonNode body = json(received);
        assertEquals("gpt-4o-mini", body.path("model").asText());
        assertEquals(200, body.path("max_completion_tokens").asInt());
        assertEquals("system", body.path("messages").path(0).path("role").asText());
        String system = body.path("messages").path(0).path("content").asText();
        assertTrue(system.contains("text-to-video") && system.contains("ink wash"), system);
        assertEquals("user", body.path("messages").path(1).path("role").asText());
        assertEquals("a harbour at dawn", body.path("messages").path(1).path("content").asText());

        GeneratedOutput output = done.outputs().getFirst();
        assertEquals("text/plain; charset=utf-8", output.contentType());
        assertEquals("txt", output.extension());
        assertEquals("A misty harbour at dawn, in pale ink washes.", read(output));
    }

    @Test
    void promptUsesTheModelTheCallerNamedAndAGeneralRewriteWithoutTarget() {
        server.on("POST", OpenAiChat.PATH, r -> FakeHttpServer.Reply.json(200, OpenAiFixtures.chatCompletion("Better.", "stop")));

        provider.start(task(Engine.PROMPT, """
                {"prompt": "a cat", "model": "gpt-4.1-mini"}
                """), null);

        JsonNode body = json(only());
        assertEquals("gpt-4.1-mini", body.path("model").asText());
        assertEquals(256, body.path("max_completion_tokens").asInt(), "the request's default max_tokens");
        assertTrue(body.path("messages").path(0).path("content").asText().contains("general-purpose"));
    }

    @Test
    void aRefusalFailsThePromptTaskAsContentFiltered() {
        server.on("POST", OpenAiChat.PATH, r -> FakeHttpServer.Reply.json(200, """
                {"id": "chatcmpl-1", "object": "chat.completion", "created": 1741569952, "model": "gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant", "content": null, "refusal": "I can't help with that."}}]}
                """));

        var failed = assertInstanceOf(ProviderAnswer.Failed.class, provider.start(task(Engine.PROMPT, """
                {"prompt": "something"}
                """), null));
        assertEquals(TaskError.CONTENT_FILTERED, failed.error().code());
        assertTrue(failed.error().message().contains("I can't help with that."));
    }

    // --- image ------------------------------------------------------------------------------------------

    @Test
    void imageSendsModelPromptNAndSizeAndDecodesThePngs() throws Exception {
        server.on("POST", OpenAiImages.PATH, r -> FakeHttpServer.Reply.json(200, OpenAiFixtures.imagesBase64(3)));

        var done = assertInstanceOf(ProviderAnswer.Done.class, provider.start(task(Engine.IMAGE, """
                {"prompt": "a red fox in fresh snow", "size": "1024x1536", "num_outputs": 3}
                """), null));

        var received = only();
        assertEquals("Bearer " + KEY, received.header("Authorization"));
        JsonNode body = json(received);
        assertEquals("gpt-image-1", body.path("model").asText());
        assertEquals("a red fox in fresh snow", body.path("prompt").asText());
        assertEquals(3, body.path("n").asInt());
        assertEquals("1024x1536", body.path("size").asText());
        assertEquals("png", body.path("output_format").asText());
        assertTrue(body.path("response_format").isMissingNode(), "gpt-image-1 rejects response_format");

        assertEquals(3, done.outputs().size());
        for (GeneratedOutput output : done.outputs()) {
            assertEquals("image/png", output.contentType());
            assertEquals("png", output.extension());
            assertEquals(1024, output.width());
            assertEquals(1536, output.height());
            try (InputStream in = output.source().open()) {
                var picture = MediaProbe.png(in.readAllBytes());
                assertEquals(OpenAiFixtures.PNG_WIDTH, picture.width());
                assertEquals(OpenAiFixtures.PNG_HEIGHT, picture.height());
            }
        }
    }

    @Test
    void dallEIsAskedForBase64() {
        server.on("POST", OpenAiImages.PATH, r -> FakeHttpServer.Reply.json(200, OpenAiFixtures.imagesBase64(1)));

        provider.start(task(Engine.IMAGE, """
                {"prompt": "a lighthouse", "model": "dall-e-3", "size": "1792x1024"}
                """), null);

        JsonNode body = json(only());
        assertEquals("dall-e-3", body.path("model").asText());
        assertEquals(1, body.path("n").asInt());
        assertEquals("1792x1024", body.path("size").asText());
        assertEquals("b64_json", body.path("response_format").asText());
        assertTrue(body.path("output_format").isMissingNode(), "output_format is for GPT image models only");
    }

    @Test
    void imageUrlsAreStreamedFromWhereTheAnswerPoints() throws Exception {
        byte[] png = OpenAiFixtures.png(7);
        server.on("GET", "/files/img-1.png", r -> FakeHttpServer.Reply.bytes(200, "image/png", png));
        server.on("POST", OpenAiImages.PATH, r -> FakeHttpServer.Reply.json(200,
                OpenAiFixtures.imagesUrl(server.baseUrl() + "/files/img-1.png?se=2025-01-01&sig=abc")));

        var done = assertInstanceOf(ProviderAnswer.Done.class, provider.start(task(Engine.IMAGE, """
                {"prompt": "a red fox", "model": "dall-e-2", "size": "512x512"}
                """), null));

        assertEquals(1, server.received().size(), "nothing is downloaded before the output is opened");
        try (InputStream in = done.outputs().getFirst().source().open()) {
            assertEquals(OpenAiFixtures.PNG_WIDTH, MediaProbe.png(in.readAllBytes()).width());
        }
        var download = server.received().get(1);
        assertEquals("GET", download.method());
        assertNull(download.header("Authorization"), "the API key is not sent to download hosts");
    }

    @Test
    void dallEContentPolicyViolationFailsTheTaskWithOpenAisMessage() {
        OpenAiFixtures.answerError(server, OpenAiImages.PATH, 400, OpenAiFixtures.error(
                "Your request was rejected as a result of our safety system.", "invalid_request_error",
                "content_policy_violation"), Map.of());

        var failed = assertInstanceOf(ProviderAnswer.Failed.class, provider.start(task(Engine.IMAGE, """
                {"prompt": "something", "model": "dall-e-3"}
                """), null));
        assertEquals(new TaskError(TaskError.CONTENT_FILTERED, "Your request was rejected as a result of our safety system."),
                failed.error());
    }

    @Test
    void imageRequestsOpenAiCannotServeAreRefusedUpFront() {
        assertRefused(Engine.IMAGE, """
                {"prompt": "x", "model": "flux"}""", "model", "not an OpenAI model");
        assertRefused(Engine.IMAGE, """
                {"prompt": "x", "model": "sdxl"}""", "model", "dall-e-2, dall-e-3, gpt-image-1");
        assertRefused(Engine.IMAGE, """
                {"prompt": "x", "size": "1792x1024"}""", "size", "gpt-image-1 makes images of 1024x1024, 1536x1024, 1024x1536 only");
        assertRefused(Engine.IMAGE, """
                {"prompt": "x", "model": "dall-e-3", "size": "1536x1024"}""", "size", "1024x1024, 1792x1024, 1024x1792");
        assertRefused(Engine.IMAGE, """
                {"prompt": "x", "model": "dall-e-2", "size": "1024x768"}""", "size", "256x256, 512x512, 1024x1024");
        assertRefused(Engine.IMAGE, """
                {"prompt": "x", "model": "dall-e-3", "num_outputs": 2}""", "num_outputs", "at most 1 image per request");
        assertRefused(Engine.IMAGE, """
                {"prompt": "x", "negative_prompt": "blur"}""", "negative_prompt", "no negative prompt");
        assertRefused(Engine.IMAGE, """
                {"prompt": "x", "seed": 42}""", "seed", "cannot be seeded");
        assertRefused(Engine.IMAGE, """
                {"prompt": "%s", "model": "dall-e-2", "size": "256x256"}""".formatted("a".repeat(1001)), "prompt", "at most 1000");

        assertEquals(List.of(), provider.unsupported(request(Engine.IMAGE, """
                {"prompt": "x", "model": "dall-e-2", "size": "256x256", "num_outputs": 4}""")));
        assertEquals(List.of(), provider.unsupported(request(Engine.IMAGE, """
                {"prompt": "x"}""")), "the defaults (gpt-image-1, 1024x1024, one image) are served");
    }

    @Test
    void aTaskThatCannotBeServedIsNotSent() {
        var e = assertThrows(ProviderException.class, () -> provider.start(task(Engine.IMAGE, """
                {"prompt": "x", "model": "flux"}"""), null));
        assertFalse(e.retryable());
        assertTrue(server.received().isEmpty());
    }

    // --- speech -----------------------------------------------------------------------------------------

    @Test
    void speechSendsModelInputVoiceAndFormatAndKeepsTheBytes() throws Exception {
        byte[] wav = OpenAiFixtures.wav();
        server.on("POST", OpenAiSpeech.PATH, r -> FakeHttpServer.Reply.bytes(200, "audio/wav", wav));

        var done = assertInstanceOf(ProviderAnswer.Done.class, provider.start(task(Engine.AUDIO, """
                {"text": "Welcome aboard.", "voice": "default", "format": "wav"}
                """), null));

        var received = only();
        assertEquals("Bearer " + KEY, received.header("Authorization"));
        JsonNode body = json(received);
        assertEquals("gpt-4o-mini-tts", body.path("model").asText());
        assertEquals("Welcome aboard.", body.path("input").asText());
        assertEquals("alloy", body.path("voice").asText(), "our default voice is OpenAI's alloy");
        assertEquals("wav", body.path("response_format").asText());

        GeneratedOutput output = done.outputs().getFirst();
        assertEquals("audio/wav", output.contentType());
        assertEquals("wav", output.extension());
        try (InputStream in = output.source().open()) {
            assertEquals(24000, MediaProbe.wav(in.readAllBytes()).sampleRate());
        }
    }

    @Test
    void speechAsMp3WithANamedVoiceAndModel() {
        server.on("POST", OpenAiSpeech.PATH, r -> FakeHttpServer.Reply.bytes(200, "audio/mpeg", new byte[] {(byte) 0xff, (byte) 0xf3, 1, 2}));

        var done = assertInstanceOf(ProviderAnswer.Done.class, provider.start(task(Engine.AUDIO, """
                {"text": "Hello.", "voice": "Coral", "format": "mp3", "model": "tts-1-hd"}
                """), null));

        JsonNode body = json(only());
        assertEquals("tts-1-hd", body.path("model").asText());
        assertEquals("coral", body.path("voice").asText());
        assertEquals("mp3", body.path("response_format").asText());
        assertEquals("audio/mpeg", done.outputs().getFirst().contentType());
        assertEquals("mp3", done.outputs().getFirst().extension());
    }

    @Test
    void audioRequestsOpenAiCannotServeAreRefusedUpFront() {
        assertRefused(Engine.AUDIO, """
                {"prompt": "calm piano", "kind": "music"}""", "kind", "speech only");
        assertRefused(Engine.AUDIO, """
                {"prompt": "rain on a roof", "kind": "sound"}""", "kind", "speech only");
        assertRefused(Engine.AUDIO, """
                {"text": "hi", "voice": "rachel"}""", "voice", "alloy, ash, ballad");
        assertRefused(Engine.AUDIO, """
                {"text": "hi", "model": "eleven_multilingual_v2"}""", "model", "gpt-4o-mini-tts, tts-1, tts-1-hd");
        assertRefused(Engine.AUDIO, """
                {"text": "%s"}""".formatted("a".repeat(4097)), "text", "at most 4096");
        assertEquals(List.of(), provider.unsupported(request(Engine.AUDIO, """
                {"text": "hi", "voice": "shimmer", "model": "gpt-4o-mini-tts-2025-12-15"}""")));
    }

    @Test
    void aSpeechAnswerThatIsNotAudioIsRetryable() {
        server.on("POST", OpenAiSpeech.PATH, r -> FakeHttpServer.Reply.json(200, "{\"object\": \"list\"}"));

        var e = assertThrows(ProviderException.class, () -> provider.start(task(Engine.AUDIO, """
                {"text": "hi"}"""), null));
        assertTrue(e.retryable(), e.getMessage());
    }

    // --- errors -----------------------------------------------------------------------------------------

    @Test
    void insufficientQuotaIsFinalAlthoughItIsA429() {
        OpenAiFixtures.answerError(server, OpenAiChat.PATH, 429, OpenAiFixtures.error(
                "You exceeded your current quota, please check your plan and billing details.",
                "insufficient_quota", "insufficient_quota"), Map.of("Retry-After", "20"));

        var e = assertThrows(ProviderException.class, () -> provider.start(task(Engine.PROMPT, """
                {"prompt": "x"}"""), null));
        assertFalse(e.retryable());
        assertEquals(TaskError.PROVIDER_ERROR, e.code());
        assertTrue(e.getMessage().contains("You exceeded your current quota"), e.getMessage());
    }

    @Test
    void insufficientQuotaIsRecognisedByItsTypeWhenTheCodeIsMissing() {
        OpenAiFixtures.answerError(server, OpenAiImages.PATH, 429, OpenAiFixtures.error(
                "You exceeded your current quota.", "insufficient_quota", null), Map.of());

        var e = assertThrows(ProviderException.class, () -> provider.start(task(Engine.IMAGE, """
                {"prompt": "x"}"""), null));
        assertFalse(e.retryable());
    }

    @Test
    void rateLimitsStayRetryableWithTheProvidersDelay() {
        OpenAiFixtures.answerError(server, OpenAiSpeech.PATH, 429, OpenAiFixtures.error(
                "Rate limit reached for gpt-4o-mini-tts on requests per min (RPM): Limit 3, Used 3.",
                "requests", "rate_limit_exceeded"), Map.of("Retry-After", "20"));

        var e = assertThrows(ProviderException.class, () -> provider.start(task(Engine.AUDIO, """
                {"text": "x"}"""), null));
        assertTrue(e.retryable());
        assertEquals(Duration.ofSeconds(20), e.retryAfter());
    }

    @Test
    void aForbiddenAnswerIsFinalAndTheKeyNeverShows() {
        OpenAiFixtures.answerError(server, OpenAiChat.PATH, 403, OpenAiFixtures.error(
                "Key " + KEY + " may not use this model.", "invalid_request_error", "model_not_found"), Map.of());

        var e = assertThrows(ProviderException.class, () -> provider.start(task(Engine.PROMPT, """
                {"prompt": "x"}"""), null));
        assertFalse(e.retryable());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertTrue(e.getMessage().contains("may not use this model"), e.getMessage());
    }

    // --- configuration ----------------------------------------------------------------------------------

    @Test
    void theProviderExistsOnlyWithAnApiKey() {
        assertTrue(OpenAiProvider.fromEnvironment(Map.of()).isEmpty());
        assertTrue(OpenAiProvider.fromEnvironment(Map.of("OPENAI_API_KEY", "  ")).isEmpty());
        var configured = OpenAiProvider.fromEnvironment(Map.of("OPENAI_API_KEY", KEY)).orElseThrow();
        assertEquals("openai", configured.name());
        assertEquals(java.util.EnumSet.of(Engine.PROMPT, Engine.IMAGE, Engine.AUDIO), configured.engines());
        assertEquals("gpt-4o-mini", configured.defaultModel(Engine.PROMPT));
        assertEquals("gpt-image-1", configured.defaultModel(Engine.IMAGE));
        assertEquals("gpt-4o-mini-tts", configured.defaultModel(Engine.AUDIO));
    }

    @Test
    void theBaseUrlMayCarryV1OrAProxyPrefix() {
        server.on("POST", ".*", r -> FakeHttpServer.Reply.json(200, OpenAiFixtures.chatCompletion("ok", "stop")));

        for (String base : List.of(server.baseUrl() + "/v1", server.baseUrl() + "/v1/", server.baseUrl() + "/openai/")) {
            OpenAiProvider.fromEnvironment(Map.of("OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", base)).orElseThrow()
                    .start(task(Engine.PROMPT, "{\"prompt\": \"x\"}"), null);
        }

        assertEquals(List.of("/v1/chat/completions", "/v1/chat/completions", "/openai/v1/chat/completions"),
                server.received().stream().map(FakeHttpServer.Received::path).toList());
        assertEquals(URI.create("https://api.openai.com"), OpenAiProvider.origin(OpenAiProvider.DEFAULT_BASE_URL));
    }

    @Test
    void videoIsNotServed() {
        GenerationRequest video = request(Engine.VIDEO, "{\"prompt\": \"waves\"}");
        assertEquals("provider", provider.unsupported(video).getFirst().field());
        Task task = Task.create("t-1", "user-1", video, "openai", null, Instant.now()).startAttempt(Instant.now());
        assertFalse(assertThrows(ProviderException.class, () -> provider.start(task, null)).retryable());
        assertTrue(server.received().isEmpty());
    }

    @Test
    void thereIsNothingToCheckOrCancel() {
        Task task = task(Engine.PROMPT, "{\"prompt\": \"x\"}");
        assertFalse(assertThrows(ProviderException.class, () -> provider.check(task)).retryable());
        provider.cancel(task);
        assertTrue(server.received().isEmpty());
    }

    // --- helpers ----------------------------------------------------------------------------------------

    private void assertRefused(Engine engine, String body, String field, String messagePart) {
        List<FieldError> problems = provider.unsupported(request(engine, body));
        assertTrue(problems.stream().anyMatch(p -> p.field().equals(field) && p.message().contains(messagePart)),
                "expected a problem on " + field + " mentioning \"" + messagePart + "\", got " + problems);
    }

    private static GenerationRequest request(Engine engine, String body) {
        try {
            return GenerationRequest.parse(engine, Json.MAPPER.readTree(body));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private Task task(Engine engine, String body) {
        GenerationRequest request = request(engine, body);
        String model = request.model() != null ? request.model() : provider.defaultModel(engine);
        return Task.create(UUID.randomUUID().toString(), "user-1", request, provider.name(), model, Instant.now())
                .startAttempt(Instant.now());
    }

    private FakeHttpServer.Received only() {
        assertEquals(1, server.received().size(), "one call to OpenAI");
        return server.received().getFirst();
    }

    private static JsonNode json(FakeHttpServer.Received received) {
        try {
            return Json.MAPPER.readTree(received.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(GeneratedOutput output) throws java.io.IOException {
        try (InputStream in = output.source().open()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
