package com.genplatform.providers.local;

import com.genplatform.core.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An enhanced prompt, shaped by the engine it is for and the style asked for, deterministic for the
 * same request. Tokens are counted as words, so {@code max_tokens} bounds the words.
 */
public final class PromptText {
    public static final String CONTENT_TYPE = "text/plain; charset=utf-8";
    public static final String EXTENSION = "txt";

    private static final List<String> IMAGE = List.of("soft golden-hour light", "a shallow depth of field",
            "a wide establishing shot", "crisp fine detail", "a balanced rule-of-thirds composition", "gentle volumetric haze");
    private static final List<String> VIDEO = List.of("a slow dolly-in", "a smooth tracking shot", "gentle parallax motion",
            "a steady aerial pan", "natural motion blur", "a calm time-lapse");
    private static final List<String> AUDIO = List.of("a warm analog texture", "a relaxed 90 BPM tempo",
            "soft piano and strings", "a wide stereo field", "a gentle build", "subtle ambient reverb");
    private static final List<String> TEXT = List.of("clear and vivid", "concrete sensory detail", "a consistent tone",
            "a strong opening image", "precise wording", "one memorable detail");

    private PromptText() {}

    public static String enhance(String prompt, Engine target, String style, int maxTokens) {
        Palette p = new Palette(prompt + "|" + target + "|" + style, 0, 0);
        List<String> details = switch (target == null ? Engine.PROMPT : target) {
            case IMAGE -> IMAGE;
            case VIDEO -> VIDEO;
            case AUDIO -> AUDIO;
            case PROMPT -> TEXT;
        };
        List<String> chosen = new ArrayList<>();
        for (int i = 0; chosen.size() < 3; i++) {
            String detail = details.get(p.at(i) % details.size());
            if (!chosen.contains(detail)) chosen.add(detail);
        }
        String text = prompt.strip() + ", with " + String.join(", ", chosen)
                + (style == null ? "" : ", in the style of " + style) + ".";
        String[] words = text.split("\\s+");
        return words.length <= maxTokens ? text : String.join(" ", Arrays.copyOf(words, maxTokens));
    }
}
