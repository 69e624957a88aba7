package com.genplatform.providers.elevenlabs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.ProviderException;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.providers.ProviderContractTest;
import com.genplatform.testsupport.FakeHttpServer;
import com.genplatform.testsupport.FakeHttpServer.Reply;
import com.genplatform.testsupport.MediaProbe;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ElevenLabs text-to-speech as documented: JSON in, raw audio out, errors under "detail". */
class ElevenLabsContractTest extends ProviderContractTest {

    @Override
    protected GenerationProvider provider(URI baseUrl, Duration timeout) {
        return new ElevenLabsProvider(baseUrl, TEST_KEY, timeout);
    }

    @Override
    protected Engine engine() {
        return Engine.AUDIO;
    }

    @Override
    protected String requestBody() {
        return "{\"text\": \"The first move is what sets everything in motion.\", \"format\": \"wav\"}";
    }

    @Override
    protected String expectedContentType() {
        return "audio/wav";
    }

    /** 1.5 s of silence as 24 kHz 16-bit mono PCM, what output_format=pcm_24000 returns. */
    static final byte[] PCM = new byte[ElevenLabsProvider.PCM_RATE * 3];

    @Override
    protected void answerSuccess(FakeHttpServer server) {
        server.on("POST", "/v1/text-to-speech/.*", r -> Reply.bytes(200, "application/octet-stream", PCM));
    }

    @Override
    protected void answerError(FakeHttpServer server, int status, String message, Map<String, String> headers) {
        String kind = status == 429 ? "too_many_concurrent_requests" : status == 401 ? "invalid_api_key" : "error";
        server.on("POST", "/v1/.*", r -> {
            Reply reply = Reply.json(status, "{\"detail\": {\"status\": \"" + kind + "\", \"message\": \"" + message + "\"}}");
            for (var header : headers.entrySet()) reply = reply.withHeader(header.getKey(), header.getValue());
            return reply;
        });
    }

    @Override
    protected void answerContentFiltered(FakeHttpServer server) {
        throw new UnsupportedOperationException("ElevenLabs documents no content-filter answer for speech");
    }

    /**
     * ElevenLabs documents no content-filter answer for text-to-speech (unlike Stability, Runway or OpenAI),
     * so the contract's content-filter case becomes what it does document: a refused request is final.
     */
    @Test
    @Override
    protected void contentFilteringFailsTheTaskWithAClearReason() {
        answerError(server, 400, "The text could not be processed", Map.of());
        var e = assertThrows(ProviderException.class, () -> runToEnd(provider(server.baseUrl(), Duration.ofSeconds(5))));
        assertFalse(e.retryable());
    }

    @Test
    void speaksWithTheVoiceAndFormatAsked() {
        answerSuccess(server);
        var done = assertInstanceOf(ProviderAnswer.Done.class, runToEnd(provider(server.baseUrl(), Duration.ofSeconds(5))));
        var request = server.received().getFirst();
        assertEquals("/v1/text-to-speech/" + ElevenLabsProvider.DEFAULT_VOICE_ID, request.path());
        assertEquals("output_format=pcm_24000", request.query());
        assertEquals(TEST_KEY, request.header("xi-api-key"));
        assertEquals("eleven_multilingual_v2", read(request.text()).get("model_id").asText());
        assertEquals(1.5, done.outputs().getFirst().durationSeconds());
        assertEquals(1.5, MediaProbe.wav(ElevenLabsProvider.wav(PCM)).seconds(), 1e-9);
    }

    @Test
    void mp3IsPassedThroughAndMusicIsRefused() throws Exception {
        server.on("POST", "/v1/text-to-speech/.*", r -> Reply.bytes(200, "audio/mpeg", new byte[] {(byte) 0xff, (byte) 0xfb, 0x10, 0}));
        var provider = provider(server.baseUrl(), Duration.ofSeconds(5));
        var task = taskFor("{\"text\": \"hi\", \"voice\": \"pNInz6obpgDQGcFmaJgB\", \"format\": \"mp3\"}");
        var done = assertInstanceOf(ProviderAnswer.Done.class, provider.start(task, "unused"));
        assertEquals("audio/mpeg", done.outputs().getFirst().contentType());
        assertEquals("/v1/text-to-speech/pNInz6obpgDQGcFmaJgB", server.received().getLast().path());
        assertEquals("output_format=mp3_44100_128", server.received().getLast().query());
        assertEquals("kind", provider.unsupported(GenerationRequest.parse(Engine.AUDIO,
                read("{\"prompt\": \"drums\", \"duration_seconds\": 5}"))).getFirst().field());
        assertTrue(provider.unsupported(task.request()).isEmpty());
    }

    private com.genplatform.core.Task taskFor(String body) {
        var request = GenerationRequest.parse(Engine.AUDIO, read(body));
        return com.genplatform.core.Task.create("t1", "u1", request, "elevenlabs", "eleven_multilingual_v2", java.time.Instant.now())
                .startAttempt(java.time.Instant.now());
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
