package com.genplatform.local.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.core.Engine;
import com.genplatform.providers.local.Mp4Video;
import com.genplatform.providers.local.PngImage;
import com.genplatform.providers.local.PromptText;
import com.genplatform.providers.local.WavAudio;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a Replicate model makes, guessed from its name (and its input), and that content made locally. */
final class ContentKind {
    private ContentKind() {}

    /** Files (or text, for language models) a prediction produced. */
    record Generated(String contentType, String extension, List<byte[]> files, String text) {}

    static String of(String model, JsonNode input) {
        String name = model.toLowerCase(Locale.ROOT);
        if (name.matches(".*(llama|mistral|gpt|claude|qwen|gemma|deepseek|granite|phi-).*")) return "text";
        if (name.matches(".*(video|wan-|kling|hunyuan|minimax|veo|luma|seedance|ltx).*")) return "video";
        if (name.matches(".*(tts|kokoro|speech|bark|xtts|musicgen|audio|music|riffusion).*")) return "audio";
        if (name.matches(".*(flux|sdxl|stable-diffusion|imagen|recraft|ideogram|image|sd3).*")) return "image";
        return input.has("text") ? "audio" : "image";
    }

    static Generated generate(String kind, JsonNode input, String predictionId) throws IOException {
        String prompt = input.path("prompt").asText(input.path("text").asText("untitled"));
        long seed = input.has("seed") ? input.get("seed").asLong() : predictionId.hashCode();
        return switch (kind) {
            case "image" -> {
                int[] size = size(input, 1024, 1024);
                int count = Math.clamp(input.path("num_outputs").asInt(1), 1, 4);
                List<byte[]> images = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    var out = new ByteArrayOutputStream();
                    PngImage.write(prompt, seed, i, size[0], size[1], out);
                    images.add(out.toByteArray());
                }
                yield new Generated(PngImage.CONTENT_TYPE, PngImage.EXTENSION, images, null);
            }
            case "video" -> {
                int[] size = size(input, 512, 288);
                int fps = Math.clamp(input.path("fps").asInt(input.path("frames_per_second").asInt(8)), 1, 60);
                int seconds = Math.clamp(input.path("duration").asInt(input.path("num_frames").asInt(fps * 2) / fps), 1, 60);
                File file = Files.createTempFile("replicate-", ".mp4").toFile();
                try {
                    Mp4Video.write(prompt, seed, size[0] & ~1, size[1] & ~1, fps, seconds, file);
                    yield new Generated(Mp4Video.CONTENT_TYPE, Mp4Video.EXTENSION, List.of(Files.readAllBytes(file.toPath())), null);
                } finally {
                    Files.deleteIfExists(file.toPath());
                }
            }
            case "audio" -> {
                double seconds = input.has("text") ? WavAudio.speechSeconds(input.get("text").asText())
                        : Math.clamp(input.path("duration").asDouble(8), 1, 300);
                var out = new ByteArrayOutputStream();
                WavAudio.write(prompt, seed, seconds, out);
                yield new Generated(WavAudio.CONTENT_TYPE, WavAudio.EXTENSION, List.of(out.toByteArray()), null);
            }
            default -> {
                int maxTokens = input.path("max_tokens").asInt(input.path("max_new_tokens").asInt(256));
                yield new Generated(PromptText.CONTENT_TYPE, PromptText.EXTENSION, List.of(),
                        PromptText.enhance(prompt, Engine.PROMPT, null, Math.max(1, maxTokens)));
            }
        };
    }

    /** width/height, else aspect_ratio ("16:9") scaled to the default width, else the default. */
    private static int[] size(JsonNode input, int width, int height) {
        if (input.has("width") && input.has("height")) {
            return new int[] {Math.clamp(input.get("width").asInt(), 16, 2048), Math.clamp(input.get("height").asInt(), 16, 2048)};
        }
        String ratio = input.path("aspect_ratio").asText("");
        if (ratio.matches("\\d+:\\d+")) {
            String[] parts = ratio.split(":");
            int w = Integer.parseInt(parts[0]);
            int h = Integer.parseInt(parts[1]);
            return new int[] {width, Math.max(16, (int) Math.round(width * (double) h / w)) & ~1};
        }
        return new int[] {width, height};
    }
}
