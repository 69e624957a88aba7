package com.genplatform.providers.runway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.provider.GeneratedOutput;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.ProviderException;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.core.request.VideoRequest;
import com.genplatform.providers.http.ProviderHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runway's developer API (version header {@code X-Runway-Version: 2024-11-06}): image-to-video
 * ({@code POST /v1/image_to_video}, default model gen4_turbo) or text-to-video ({@code POST /v1/text_to_video},
 * default model veo3), then {@code GET /v1/tasks/{id}} no more often than every 5 s (Runway has no webhooks),
 * and {@code DELETE /v1/tasks/{id}} to cancel. {@code THROTTLED} is queued, not failed; {@code SAFETY.*}
 * failures are content filtering; {@code INTERNAL.BAD_OUTPUT.*} may succeed when retried.
 */
public final class RunwayProvider implements GenerationProvider {
    public static final String NAME = "runway";
    static final String VERSION = "2024-11-06";
    static final String IMAGE_MODEL = "gen4_turbo";
    static final String TEXT_MODEL = "veo3";
    private static final long MAX_VIDEO_BYTES = 512L * 1024 * 1024;

    /** What each model accepts: ratios as "W:H" pixel sizes, and durations in seconds. */
    record Limits(boolean needsImage, Set<String> ratios, Set<Integer> durations) {}

    static final Map<String, Limits> MODELS = Map.of(
            IMAGE_MODEL, new Limits(true, Set.of("1280:720", "720:1280", "1104:832", "832:1104", "960:960", "1584:672",
                    "1280:768", "768:1280"), Set.of(2, 3, 4, 5, 6, 7, 8, 9, 10)),
            "gen3a_turbo", new Limits(true, Set.of("1280:768", "768:1280"), Set.of(5, 10)),
            TEXT_MODEL, new Limits(false, Set.of("1280:720", "720:1280"), Set.of(8)));

    private final URI baseUrl;
    private final String key;
    private final ProviderHttp http;

    public RunwayProvider(URI baseUrl, String key, Duration timeout) {
        this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        this.key = key;
        this.http = new ProviderHttp(NAME, timeout, body -> body.path("error").isTextual()
                ? body.get("error").asText() : body.path("message").asText(null));
    }

    /** Configured by {@code RUNWAY_API_KEY} (or the SDK's {@code RUNWAYML_API_SECRET}); {@code RUNWAY_BASE_URL} to point elsewhere. */
    public static Optional<RunwayProvider> fromEnvironment(Map<String, String> env) {
        String key = env.getOrDefault("RUNWAY_API_KEY", env.get("RUNWAYML_API_SECRET"));
        if (key == null || key.isBlank()) return Optional.empty();
        return Optional.of(new RunwayProvider(URI.create(env.getOrDefault("RUNWAY_BASE_URL", "https://api.dev.runwayml.com")),
                key.strip(), Duration.ofSeconds(30)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Engine> engines() {
        return Set.of(Engine.VIDEO);
    }

    @Override
    public String defaultModel(Engine engine) {
        return IMAGE_MODEL;
    }

    @Override
    public String defaultModel(GenerationRequest request) {
        return request instanceof VideoRequest video && video.imageUrl() == null ? TEXT_MODEL : IMAGE_MODEL;
    }

    @Override
    public List<FieldError> unsupported(GenerationRequest request) {
        if (!(request instanceof VideoRequest video)) return List.of();
        String model = video.model() != null ? video.model() : defaultModel(request);
        Limits limits = MODELS.get(model);
        List<FieldError> problems = new ArrayList<>();
        if (limits == null) {
            return List.of(new FieldError("model", "Runway models here are " + String.join(", ", MODELS.keySet())));
        }
        if (limits.needsImage() && video.imageUrl() == null) {
            problems.add(new FieldError("image_url", model + " makes video from an image: give image_url, or use " + TEXT_MODEL));
        }
        if (!limits.ratios().contains(ratio(video))) {
            problems.add(new FieldError("size", model + " makes " + String.join(", ", limits.ratios().stream().sorted().toList())
                    .replace(':', 'x') + " videos"));
        }
        if (!limits.durations().contains(video.durationSeconds())) {
            problems.add(new FieldError("duration_seconds", model + " makes videos of " + limits.durations().stream().sorted().toList() + " seconds"));
        }
        if (video.prompt() != null && video.prompt().length() > 1000) {
            problems.add(new FieldError("prompt", "Runway takes at most 1000 characters"));
        }
        return problems;
    }

    @Override
    public ProviderAnswer start(Task task, String callbackUrl) {
        VideoRequest video = (VideoRequest) task.request();
        String model = task.model();
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", model).put("ratio", ratio(video))
                .put("duration", video.durationSeconds());
        if (video.prompt() != null) body.put("promptText", video.prompt());
        if (video.seed() != null) body.put("seed", video.seed());
        String endpoint = video.imageUrl() != null ? "/v1/image_to_video" : "/v1/text_to_video";
        if (video.imageUrl() != null) body.put("promptImage", video.imageUrl().toString());
        JsonNode created = http.json(request(endpoint).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        String id = created.path("id").asText(null);
        if (id == null) throw new ProviderException(true, TaskError.PROVIDER_ERROR, "Runway accepted the task without an id", null, null);
        return new ProviderAnswer.Accepted(id, ProviderAnswer.Callback.POLL, Duration.ofSeconds(5));
    }

    @Override
    public ProviderAnswer check(Task task) {
        JsonNode runwayTask = http.json(request("/v1/tasks/" + task.providerTaskId()).GET());
        return switch (runwayTask.path("status").asText("")) {
            case "SUCCEEDED" -> new ProviderAnswer.Done(outputs(task, runwayTask.path("output")));
            case "FAILED" -> failed(runwayTask);
            case "CANCELLED" -> new ProviderAnswer.Canceled();
            case "RUNNING" -> new ProviderAnswer.Running(runwayTask.has("progress")
                    ? (int) Math.round(runwayTask.get("progress").asDouble() * 100) : null);
            // PENDING, THROTTLED (queued behind the account's limit) and any status added later: not done yet
            default -> new ProviderAnswer.Running(null);
        };
    }

    @Override
    public void cancel(Task task) {
        try {
            http.send(request("/v1/tasks/" + task.providerTaskId()).DELETE());
        } catch (ProviderException e) {
            if (!e.getMessage().contains("HTTP 404")) throw e; // already gone: nothing to stop
        }
    }

    private static ProviderAnswer failed(JsonNode runwayTask) {
        String code = runwayTask.path("failureCode").asText("");
        String reason = "Runway: " + runwayTask.path("failure").asText("the task failed") + (code.isEmpty() ? "" : " (" + code + ")");
        if (code.startsWith("INTERNAL.BAD_OUTPUT")) {
            return new ProviderAnswer.Retry(new TaskError(TaskError.PROVIDER_ERROR, reason)); // this task stays failed: start another
        }
        return new ProviderAnswer.Failed(new TaskError(code.startsWith("SAFETY") ? TaskError.CONTENT_FILTERED : TaskError.PROVIDER_ERROR, reason));
    }

    private List<GeneratedOutput> outputs(Task task, JsonNode urls) {
        VideoRequest video = (VideoRequest) task.request();
        List<GeneratedOutput> outputs = new ArrayList<>();
        // Runway's output URLs expire within a day or two: they are streamed into S3 at once.
        urls.forEach(url -> outputs.add(new GeneratedOutput("video/mp4", "mp4",
                () -> http.download(URI.create(url.asText()), MAX_VIDEO_BYTES),
                video.size().width(), video.size().height(), (double) video.durationSeconds())));
        return outputs;
    }

    private static String ratio(VideoRequest video) {
        return video.size().width() + ":" + video.size().height();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + key)
                .header("X-Runway-Version", VERSION);
    }
}
