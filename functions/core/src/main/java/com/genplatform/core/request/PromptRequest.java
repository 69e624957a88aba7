package com.genplatform.core.request;

import com.genplatform.core.Engine;

/** {@code POST /generate/prompt}: enhance a prompt, optionally for a target engine and in a style. */
public record PromptRequest(
        String prompt,
        Engine targetEngine,
        String style,
        int maxTokens,
        String model,
        String provider,
        CommonFields common) implements GenerationRequest {

    @Override
    public Engine engine() {
        return Engine.PROMPT;
    }

    static PromptRequest read(FieldReader in) {
        String target = in.oneOf("target_engine", java.util.Set.of("image", "video", "audio", "prompt"), null);
        return new PromptRequest(
                in.requiredText("prompt", 4000),
                target == null ? null : Engine.fromWireName(target).orElseThrow(),
                in.text("style", 100),
                ImageRequest.nullToZero(in.integer("max_tokens", 1, 4096, 256)),
                in.name("model"),
                in.name("provider"),
                CommonFields.read(in));
    }
}
