package com.genplatform.providers.elevenlabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.provider.GeneratedOutput;
import com.genplatform.core.provider.SynchronousProvider;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.ProviderException;
import com.genplatform.core.request.AudioRequest;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.providers.http.ProviderHttp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ElevenLabs text-to-speech (API v1): {@code POST /v1/text-to-speech/{voice_id}?output_format=...} with the
 * {@code xi-api-key} header, answered with the audio itself (sync). {@code wav} asks for 24 kHz 16-bit PCM and
 * wraps it in a WAV header; {@code mp3} is passed through. Both 429 kinds ({@code too_many_concurrent_requests},
 * {@code system_busy}) are retryable.
 */
public final class ElevenLabsProvider implements SynchronousProvider {
    public static final String NAME = "elevenlabs";
    static final String DEFAULT_MODEL = "eleven_multilingual_v2";
    /** "Rachel", one of the documented premade voices; used when a request names no voice. */
    static final String DEFAULT_VOICE_ID = "21m00Tcm4TlvDq8ikWAM";
    static final int PCM_RATE = 24_000;

    private final URI baseUrl;
    private final String key;
    private final ProviderHttp http;

    public ElevenLabsProvider(URI baseUrl, String key, Duration timeout) {
        this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        this.key = key;
        this.http = new ProviderHttp(NAME, timeout, ElevenLabsProvider::errorMessage);
    }

    /** Configured by {@code ELEVENLABS_API_KEY}; {@code ELEVENLABS_BASE_URL} to point elsewhere. */
    public static Optional<ElevenLabsProvider> fromEnvironment(Map<String, String> env) {
        String key = env.get("ELEVENLABS_API_KEY");
        if (key == null || key.isBlank()) return Optional.empty();
        return Optional.of(new ElevenLabsProvider(URI.create(env.getOrDefault("ELEVENLABS_BASE_URL", "https://api.elevenlabs.io")),
                key.strip(), Duration.ofSeconds(60)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Engine> engines() {
        return Set.of(Engine.AUDIO);
    }

    @Override
    public String defaultModel(Engine engine) {
        return DEFAULT_MODEL;
    }

    @Override
    public List<FieldError> unsupported(GenerationRequest request) {
        if (request instanceof AudioRequest audio && !audio.isSpeech()) {
            return List.of(new FieldError("kind", "ElevenLabs here makes speech: give text (and a voice), not a music or sound prompt"));
        }
        return List.of();
    }

    @Override
    public ProviderAnswer start(Task task, String callbackUrl) {
        AudioRequest audio = (AudioRequest) task.request();
        boolean wav = "wav".equals(audio.format());
        String voice = AudioRequest.DEFAULT_VOICE.equals(audio.voice()) ? DEFAULT_VOICE_ID : audio.voice();
        String body = Json.MAPPER.createObjectNode().put("text", audio.text()).put("model_id", task.model()).toString();
        var response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/text-to-speech/"
                        + URLEncoder.encode(voice, StandardCharsets.UTF_8) + "?output_format=" + (wav ? "pcm_" + PCM_RATE : "mp3_44100_128")))
                .header("xi-api-key", key)
                .header("Content-Type", "application/json")
                .header("Accept", wav ? "application/octet-stream" : "audio/mpeg")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        byte[] audioBytes = response.body();
        String type = ProviderHttp.mediaType(response.headers());
        if (audioBytes.length == 0 || type.contains("json") || type.startsWith("text/")) {
            throw ProviderException.retryable("ElevenLabs answered 200 without audio", null);
        }
        if (wav) {
            byte[] file = wav(audioBytes);
            double seconds = audioBytes.length / (PCM_RATE * 2.0);
            return new ProviderAnswer.Done(List.of(new GeneratedOutput("audio/wav", "wav", () -> new ByteArrayInputStream(file), null, null, seconds)));
        }
        return new ProviderAnswer.Done(List.of(new GeneratedOutput("audio/mpeg", "mp3", () -> new ByteArrayInputStream(audioBytes), null, null, null)));
    }



    /** 16-bit little-endian mono PCM, with the 44-byte RIFF/WAVE header players need. */
    static byte[] wav(byte[] pcm) {
        var header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + pcm.length).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        header.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(PCM_RATE).putInt(PCM_RATE * 2).putShort((short) 2).putShort((short) 16);
        header.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(pcm.length);
        var out = new ByteArrayOutputStream(44 + pcm.length);
        out.writeBytes(header.array());
        out.writeBytes(pcm);
        return out.toByteArray();
    }

    /** {@code {"detail": {"status": "...", "message": "..."}}}, or {@code {"detail": "..."}}. */
    private static String errorMessage(JsonNode body) {
        JsonNode detail = body.path("detail");
        if (detail.isTextual()) return detail.asText();
        String message = detail.path("message").asText(null);
        String status = detail.path("status").asText(null);
        return message == null ? status : status == null ? message : message + " (" + status + ")";
    }
}
