package com.genplatform.core.request;

import com.genplatform.core.Engine;
import java.util.Set;

/**
 * {@code POST /generate/audio}: speech ({@code text} read by {@code voice}) or music/sound ({@code prompt}
 * for {@code duration_seconds}). The kind follows from which of text and prompt is given.
 */
public record AudioRequest(
        String kind,
        String text,
        String voice,
        String prompt,
        Integer durationSeconds,
        String format,
        String model,
        String provider,
        CommonFields common) implements GenerationRequest {

    public static final String SPEECH = "speech";
    public static final String MUSIC = "music";
    public static final String SOUND = "sound";
    public static final Set<String> FORMATS = Set.of("wav", "mp3");
    public static final String DEFAULT_VOICE = "default";

    @Override
    public Engine engine() {
        return Engine.AUDIO;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isSpeech() {
        return SPEECH.equals(kind);
    }

    static AudioRequest read(FieldReader in) {
        boolean hasText = in.has("text");
        boolean hasPrompt = in.has("prompt");
        String kind = in.oneOf("kind", Set.of(SPEECH, MUSIC, SOUND), hasText ? SPEECH : MUSIC);
        if (hasText && hasPrompt) {
            in.problem("prompt", "give either text (speech) or prompt (music or sound), not both");
        } else if (!hasText && !hasPrompt) {
            in.problem("text", "one of text (speech) or prompt (music or sound) is required");
        } else if (SPEECH.equals(kind) && !hasText) {
            in.problem("text", "is required for speech");
        } else if (kind != null && !SPEECH.equals(kind) && hasText) {
            in.problem("kind", "text is for speech; music and sound take a prompt");
        }
        boolean speech = SPEECH.equals(kind);
        String text = in.text("text", 5000);
        String voice = in.has("voice") ? in.name("voice") : (speech ? DEFAULT_VOICE : null);
        if (!speech && in.has("voice")) {
            in.problem("voice", "is only for speech");
        }
        Integer duration = in.integer("duration_seconds", 1, 300, speech ? null : 10);
        if (speech && in.has("duration_seconds")) {
            in.problem("duration_seconds", "speech lasts as long as its text; leave duration_seconds out");
        }
        return new AudioRequest(
                kind,
                text,
                voice,
                in.text("prompt", 2000),
                duration,
                in.oneOf("format", FORMATS, "wav"),
                in.name("model"),
                in.name("provider"),
                CommonFields.read(in));
    }
}
