package com.genplatform.core.request;

import com.genplatform.core.Engine;

/** {@code POST /generate/image}: the seed's image request. */
public record ImageRequest(
        String prompt,
        String negativePrompt,
        String model,
        Size size,
        int numOutputs,
        Long seed,
        String provider,
        CommonFields common) implements GenerationRequest {

    /** The seed's default model; providers that serve it map this alias to their own Flux model. */
    public static final String DEFAULT_MODEL = "flux";
    public static final Size DEFAULT_SIZE = new Size(1024, 1024);
    static final int MAX_PROMPT = 10_000;
    static final long MAX_SEED = 4_294_967_295L;

    @Override
    public Engine engine() {
        return Engine.IMAGE;
    }

    static ImageRequest read(FieldReader in) {
        return new ImageRequest(
                in.requiredText("prompt", MAX_PROMPT),
                in.text("negative_prompt", MAX_PROMPT),
                in.name("model"),
                in.size("size", 64, 2048, 8, DEFAULT_SIZE),
                nullToZero(in.integer("num_outputs", 1, 4, 1)),
                in.longInteger("seed", 0, MAX_SEED),
                in.name("provider"),
                CommonFields.read(in));
    }

    static int nullToZero(Integer value) {
        return value == null ? 0 : value;
    }
}
