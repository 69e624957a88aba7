package com.genplatform.providers.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.core.Json;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.provider.GeneratedOutput;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.ProviderException;
import com.genplatform.core.request.AudioRequest;
import com.genplatform.providers.http.ProviderHttp;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The audio engine, speech only: {@code POST /v1/audio/speech}, which answers with the audio bytes. */
final class OpenAiSpeech {
    static final String PATH = "/v1/audio/speech";
    static final String DEFAULT_MODEL = "gpt-4o-mini-tts";
    static final String DEFAULT_VOICE = "alloy";
    static final Set<String> MODELS = new TreeSet<>(Set.of("gpt-4o-mini-tts", "tts-1", "tts-1-hd"));
    static final Set<String> VOICES = new TreeSet<>(Set.of("alloy", "ash", "ballad", "coral", "echo", "fable",
            "onyx", "nova", "sage", "shimmer", "verse", "marin", "cedar"));
    static final int MAX_INPUT_CHARS = 4096;

    private final OpenAiApi api;
    private final Duration timeout;

    OpenAiSpeech(OpenAiApi api, Duration timeout) {
        this.api = api;
        this.timeout = timeout;
    }

    static List<FieldError> unsupported(AudioRequest request, String model) {
        if (!request.isSpeech()) {
            return List.of(new FieldError("kind", "the openai provider makes speech only, not " + request.kind()));
        }
        List<FieldError> problems = new ArrayList<>();
        if (!MODELS.contains(model) && !model.startsWith(DEFAULT_MODEL + "-")) {
            problems.add(new FieldError("model", "the openai provider serves the speech models "
                    + String.join(", ", MODELS) + " and dated gpt-4o-mini-tts snapshots (got \"" + model + "\")"));
        }
        if (!VOICES.contains(voice(request))) {
            problems.add(new FieldError("voice", "OpenAI voices are default (alloy), " + String.join(", ", VOICES)
                    + " (got \"" + request.voice() + "\")"));
        }
        if (request.text() != null && request.text().length() > MAX_INPUT_CHARS) {
            problems.add(new FieldError("text", "OpenAI reads at most " + MAX_INPUT_CHARS + " characters per request (got "
                    + request.text().length() + ")"));
        }
        return problems;
    }

    ProviderAnswer generate(AudioRequest request, String model) {
        var response = api.postForBytes(PATH, body(request, model), timeout);
        String mediaType = ProviderHttp.mediaType(response.headers());
        // A JSON or HTML page with status 200 is a broken answer, not audio worth storing.
        if (mediaType.startsWith("application/json") || mediaType.startsWith("text/") || response.body().length == 0) {
            throw ProviderException.retryable("openai answered speech with " + (response.body().length == 0
                    ? "no audio" : mediaType + " instead of audio"), null);
        }
        byte[] audio = response.body();
        boolean wav = "wav".equals(request.format());
        return new ProviderAnswer.Done(List.of(new GeneratedOutput(wav ? "audio/wav" : "audio/mpeg", wav ? "wav" : "mp3",
                () -> new ByteArrayInputStream(audio), null, null, null)));
    }

    static ObjectNode body(AudioRequest request, String model) {
        return Json.MAPPER.createObjectNode()
                .put("model", model)
                .put("input", request.text())
                .put("voice", voice(request))
                .put("response_format", request.format());
    }

    /** Our voice {@code default} is OpenAI's alloy; names are matched case-insensitively. */
    static String voice(AudioRequest request) {
        String voice = request.voice() == null ? AudioRequest.DEFAULT_VOICE : request.voice().toLowerCase(Locale.ROOT);
        return AudioRequest.DEFAULT_VOICE.equals(voice) ? DEFAULT_VOICE : voice;
    }
}
