package com.genplatform.core.request;

import com.genplatform.core.Engine;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code POST /generate/video}: text-to-video, or image-to-video when {@code image_url} is given.
 * The frame is set by {@code size} or by {@code aspect_ratio} (mapped to a 720p-class size), not both;
 * the request keeps only the resulting size.
 */
public record VideoRequest(
        String prompt,
        URI imageUrl,
        int durationSeconds,
        Size size,
        int fps,
        String model,
        Long seed,
        String provider,
        CommonFields common) implements GenerationRequest {

    public static final Map<String, Size> ASPECT_RATIOS = new TreeMap<>(Map.of(
            "16:9", new Size(1280, 720),
            "9:16", new Size(720, 1280),
            "1:1", new Size(960, 960),
            "4:3", new Size(960, 720),
            "3:4", new Size(720, 960),
            "21:9", new Size(1680, 720)));
    public static final String DEFAULT_ASPECT_RATIO = "16:9";

    @Override
    public Engine engine() {
        return Engine.VIDEO;
    }

    static VideoRequest read(FieldReader in) {
        boolean hasImage = in.has("image_url");
        String prompt = hasImage ? in.text("prompt", 2000) : in.requiredText("prompt", 2000);
        URI imageUrl = in.url("image_url");
        int duration = ImageRequest.nullToZero(in.integer("duration_seconds", 1, 60, 5));
        String aspectRatio = in.oneOf("aspect_ratio", ASPECT_RATIOS.keySet(), null);
        Size size = in.size("size", 64, 1920, 2, null);
        if (in.has("aspect_ratio") && in.has("size")) {
            in.problem("size", "give either size or aspect_ratio, not both");
        } else if (!in.has("size") && !in.has("aspect_ratio")) {
            aspectRatio = DEFAULT_ASPECT_RATIO;
        }
        if (size == null && aspectRatio != null) {
            size = ASPECT_RATIOS.get(aspectRatio);
        }
        return new VideoRequest(
                prompt,
                imageUrl,
                duration,
                size,
                ImageRequest.nullToZero(in.integer("fps", 1, 60, 24)),
                in.name("model"),
                in.longInteger("seed", 0, ImageRequest.MAX_SEED),
                in.name("provider"),
                CommonFields.read(in));
    }
}
