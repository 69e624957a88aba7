package com.genplatform.providers.stability;

import com.genplatform.core.Engine;
import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.provider.GeneratedOutput;
import com.genplatform.core.provider.SynchronousProvider;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.ProviderException;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.core.request.ImageRequest;
import com.genplatform.core.request.Size;
import com.genplatform.providers.http.ProviderHttp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Stability AI's Stable Image API (REST v2beta): {@code POST /v2beta/stable-image/generate/{core|ultra|sd3}}
 * as multipart/form-data with {@code Accept: image/*}, answered with the image itself (sync). A filtered image
 * still comes back as 200 with {@code finish-reason: CONTENT_FILTERED}; that, and a 403 named
 * {@code content_moderation}, fail the task as {@code content_filtered}. Stability sizes images by aspect
 * ratio, so a requested size must reduce to one of its ratios.
 */
public final class StabilityProvider implements SynchronousProvider {
    public static final String NAME = "stability";
    static final Set<String> RATIOS = Set.of("1:1", "16:9", "21:9", "2:3", "3:2", "4:5", "5:4", "9:16", "9:21");
    /** Our model names and the endpoint (and sd3 {@code model} field) each maps to. */
    static final Map<String, String[]> MODELS = Map.of(
            "core", new String[] {"core", null},
            "ultra", new String[] {"ultra", null},
            "sd3", new String[] {"sd3", "sd3.5-large"},
            "sd3.5-large", new String[] {"sd3", "sd3.5-large"},
            "sd3.5-large-turbo", new String[] {"sd3", "sd3.5-large-turbo"},
            "sd3.5-medium", new String[] {"sd3", "sd3.5-medium"});

    private final URI baseUrl;
    private final String key;
    private final ProviderHttp http;

    public StabilityProvider(URI baseUrl, String key, Duration timeout) {
        this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        this.key = key;
        this.http = new ProviderHttp(NAME, timeout, body -> {
            // {"id": ..., "name": "bad_request", "errors": ["..."]}
            List<String> errors = new ArrayList<>();
            body.path("errors").forEach(e -> errors.add(e.asText()));
            return errors.isEmpty() ? body.path("name").asText(null) : String.join("; ", errors);
        });
    }

    /** Configured by {@code STABILITY_API_KEY}; {@code STABILITY_BASE_URL} to point elsewhere. */
    public static Optional<StabilityProvider> fromEnvironment(Map<String, String> env) {
        String key = env.get("STABILITY_API_KEY");
        if (key == null || key.isBlank()) return Optional.empty();
        return Optional.of(new StabilityProvider(URI.create(env.getOrDefault("STABILITY_BASE_URL", "https://api.stability.ai")),
                key.strip(), Duration.ofSeconds(60)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Engine> engines() {
        return Set.of(Engine.IMAGE);
    }

    @Override
    public String defaultModel(Engine engine) {
        return "core";
    }

    @Override
    public List<FieldError> unsupported(GenerationRequest request) {
        if (!(request instanceof ImageRequest image)) return List.of();
        List<FieldError> problems = new ArrayList<>();
        if (image.model() != null && !MODELS.containsKey(image.model().toLowerCase(Locale.ROOT))) {
            problems.add(new FieldError("model", "Stability's models here are " + String.join(", ", MODELS.keySet().stream().sorted().toList())));
        }
        if (ratio(image.size()) == null) {
            problems.add(new FieldError("size", "Stability makes images in the aspect ratios " + String.join(", ",
                    RATIOS.stream().sorted().toList()) + "; " + image.size() + " is none of them"));
        }
        return problems;
    }

    @Override
    public ProviderAnswer start(Task task, String callbackUrl) {
        ImageRequest image = (ImageRequest) task.request();
        String[] model = MODELS.get(task.model().toLowerCase(Locale.ROOT));
        List<GeneratedOutput> outputs = new ArrayList<>();
        for (int i = 0; i < image.numOutputs(); i++) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("prompt", image.prompt());
            if (image.negativePrompt() != null) fields.put("negative_prompt", image.negativePrompt());
            fields.put("aspect_ratio", ratio(image.size()));
            fields.put("output_format", "png");
            // One call per output; successive seeds keep several outputs of one request distinct.
            if (image.seed() != null) fields.put("seed", Long.toString((image.seed() + i) % 4_294_967_295L));
            if (model[1] != null) fields.put("model", model[1]);
            String boundary = "gp-" + UUID.randomUUID();
            java.net.http.HttpResponse<byte[]> response;
            try {
                response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v2beta/stable-image/generate/" + model[0]))
                        .header("Authorization", "Bearer " + key)
                        .header("Accept", "image/*")
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, fields))));
            } catch (ProviderException e) {
                // A 403 named content_moderation is a refusal of the prompt, not of our key.
                if (e.getMessage().contains("HTTP 403") && e.getMessage().toLowerCase(Locale.ROOT).contains("moderation")) {
                    return new ProviderAnswer.Failed(new TaskError(TaskError.CONTENT_FILTERED, e.getMessage()));
                }
                throw e;
            }
            String finish = response.headers().firstValue("finish-reason").orElse("SUCCESS");
            if (finish.equalsIgnoreCase("CONTENT_FILTERED")) {
                return new ProviderAnswer.Failed(new TaskError(TaskError.CONTENT_FILTERED,
                        "Stability AI filtered the image for its content policy."));
            }
            byte[] png = response.body();
            Size actual = pngSize(png);
            outputs.add(new GeneratedOutput("image/png", "png", () -> new ByteArrayInputStream(png), actual.width(), actual.height(), null));
        }
        return new ProviderAnswer.Done(outputs);
    }



    /**
     * The supported aspect ratio nearest to the size, within 5% (Stability's own 16:9 output is 1344x768),
     * or null when none is that close.
     */
    static String ratio(Size size) {
        double wanted = Math.log(size.width() / (double) size.height());
        String best = null;
        double bestDistance = Double.MAX_VALUE;
        for (String ratio : RATIOS) {
            String[] parts = ratio.split(":");
            double distance = Math.abs(wanted - Math.log(Double.parseDouble(parts[0]) / Double.parseDouble(parts[1])));
            if (distance < bestDistance) {
                best = ratio;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.log(1.05) ? best : null;
    }

    private static byte[] multipart(String boundary, Map<String, String> fields) {
        var out = new ByteArrayOutputStream();
        fields.forEach((name, value) -> out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Width and height from the PNG's IHDR chunk; a body that is no PNG is a malformed (retryable) answer. */
    private static Size pngSize(byte[] png) {
        if (png.length < 24 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G') {
            throw ProviderException.retryable("Stability AI answered 200 without a PNG image", null);
        }
        var buffer = ByteBuffer.wrap(png);
        return new Size(buffer.getInt(16), buffer.getInt(20));
    }
}
