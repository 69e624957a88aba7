package com.genplatform.providers.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.provider.GeneratedOutput;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.WebhookDelivery;
import com.genplatform.core.provider.WebhookEvent;
import com.genplatform.core.provider.WebhookRejectedException;
import com.genplatform.core.request.AudioRequest;
import com.genplatform.core.request.ImageRequest;
import com.genplatform.core.request.PromptRequest;
import com.genplatform.core.request.Size;
import com.genplatform.core.request.VideoRequest;
import com.genplatform.core.service.TaskProcessor;
import com.genplatform.providers.http.ProviderHttp;
import com.genplatform.providers.webhooks.StandardWebhooks;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replicate (HTTP API v1, https://replicate.com/docs/reference/http): a prediction is created on an
 * official model ({@code POST /v1/models/{owner}/{name}/predictions}) or a pinned version
 * ({@code POST /v1/predictions} with {@code version}), with our webhook and {@code webhook_events_filter}
 * ({@code start}, {@code completed}) and a {@code Cancel-After} deadline. The signed webhook (Standard
 * Webhooks) carries the prediction; {@link #check} polls {@code GET /v1/predictions/{id}} as the fallback.
 * Outputs are downloaded at once: Replicate deletes API outputs after an hour.
 */
public final class ReplicateProvider implements GenerationProvider {
    public static final String NAME = "replicate";
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})%");
    private static final Pattern VERSION = Pattern.compile("(?:[^/:]+/[^/:]+:)?[0-9a-f]{64}");
    private static final Pattern SAFETY = Pattern.compile("(?i).*(nsfw|safety|sensitive|flagged|content polic).*");
    private static final Set<String> FLUX_RATIOS = Set.of("1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21");
    private static final long MAX_OUTPUT_BYTES = 1L << 30;

    /** The seed's {@code flux} and each engine's model when a request names none. */
    static final Map<Engine, String> DEFAULT_MODELS = new EnumMap<>(Map.of(
            Engine.IMAGE, "black-forest-labs/flux-schnell",
            Engine.VIDEO, "wan-video/wan-2.2-t2v-fast",
            Engine.AUDIO, "jaaari/kokoro-82m",
            Engine.PROMPT, "meta/meta-llama-3-8b-instruct"));
    static final String MUSIC_MODEL = "meta/musicgen";

    private final URI baseUrl;
    private final String token;
    private final StandardWebhooks webhooks;
    private final boolean useWebhooks;
    private final ProviderHttp http;
    private final Clock clock;
    private final Duration cancelAfter;

    /** @param cancelAfter the platform's processing deadline, sent as {@code Cancel-After} */
    public ReplicateProvider(URI baseUrl, String token, String webhookSecret, boolean useWebhooks, Duration timeout, Clock clock,
                             Duration cancelAfter) {
        this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        this.token = token;
        this.webhooks = webhookSecret == null ? null : new StandardWebhooks(webhookSecret);
        this.useWebhooks = useWebhooks && webhookSecret != null;
        this.http = new ProviderHttp(NAME, timeout, ReplicateProvider::errorMessage);
        this.clock = clock;
        this.cancelAfter = cancelAfter;
    }

    /**
     * Configured by {@code REPLICATE_API_TOKEN}; {@code REPLICATE_WEBHOOK_SECRET} (the account's
     * {@code whsec_} secret, from {@code GET /v1/webhooks/default/secret}) turns webhooks on, else it polls;
     * {@code REPLICATE_BASE_URL} points it elsewhere (the local Replicate-compatible server); the worker's
     * {@code MAX_PROCESSING_MINUTES} is the {@code Cancel-After} deadline.
     */
    public static Optional<ReplicateProvider> fromEnvironment(Map<String, String> env) {
        String token = env.get("REPLICATE_API_TOKEN");
        if (token == null || token.isBlank()) return Optional.empty();
        String secret = env.get("REPLICATE_WEBHOOK_SECRET");
        return Optional.of(new ReplicateProvider(URI.create(env.getOrDefault("REPLICATE_BASE_URL", "https://api.replicate.com/v1")),
                token.strip(), secret == null || secret.isBlank() ? null : secret.strip(),
                !"false".equalsIgnoreCase(env.getOrDefault("REPLICATE_WEBHOOKS", "true")), Duration.ofSeconds(30), Clock.systemUTC(),
                TaskProcessor.Settings.maxProcessing(env)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Engine> engines() {
        return EnumSet.allOf(Engine.class);
    }

    @Override
    public String defaultModel(Engine engine) {
        return DEFAULT_MODELS.get(engine);
    }

    /** The seed's {@code flux} for images; music and speech need different models. */
    @Override
    public String defaultModel(com.genplatform.core.request.GenerationRequest request) {
        return request instanceof AudioRequest audio && !audio.isSpeech() ? MUSIC_MODEL : defaultModel(request.engine());
    }

    @Override
    public ProviderAnswer start(Task task, String callbackUrl) {
        String model = model(task);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("input", input(task));
        if (useWebhooks) {
            body.put("webhook", callbackUrl);
            body.putArray("webhook_events_filter").add("start").add("completed");
        }
        HttpRequest.Builder request;
        if (VERSION.matcher(model).matches()) {
            body.put("version", model);
            request = HttpRequest.newBuilder(URI.create(baseUrl + "/predictions"));
        } else {
            request = HttpRequest.newBuilder(URI.create(baseUrl + "/models/" + model + "/predictions"));
        }
        JsonNode prediction = http.json(authorized(request)
                .header("Content-Type", "application/json")
                // Replicate bills a stuck prediction until its own long timeout; cap it at the deadline we keep.
                .header("Cancel-After", cancelAfter.toMinutes() + "m")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        String id = prediction.path("id").asText(null);
        if (id == null) throw http.failure(502, emptyHeaders(), "the prediction has no id".getBytes(StandardCharsets.UTF_8));
        return new ProviderAnswer.Accepted(id, useWebhooks ? ProviderAnswer.Callback.WEBHOOK : ProviderAnswer.Callback.POLL,
                Duration.ofSeconds(2));
    }

    @Override
    public ProviderAnswer check(Task task) {
        JsonNode prediction = http.json(authorized(HttpRequest.newBuilder(
                URI.create(baseUrl + "/predictions/" + task.providerTaskId()))).GET());
        return answer(task, prediction);
    }

    @Override
    public void cancel(Task task) {
        http.send(authorized(HttpRequest.newBuilder(URI.create(baseUrl + "/predictions/" + task.providerTaskId() + "/cancel")))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Verifies the Standard Webhooks signature on the raw body, then reads the prediction it carries. */
    @Override
    public WebhookEvent verifyWebhook(WebhookDelivery delivery) {
        if (webhooks == null) throw new WebhookRejectedException("REPLICATE_WEBHOOK_SECRET is not configured");
        String deliveryId = webhooks.verify(delivery, clock.instant());
        JsonNode prediction;
        try {
            prediction = Json.MAPPER.readTree(delivery.rawBody());
        } catch (java.io.IOException e) {
            throw new WebhookRejectedException("the body is not JSON");
        }
        String id = prediction.path("id").asText(null);
        if (id == null) throw new WebhookRejectedException("the body is not a prediction");
        // The body is the prediction itself, so no second call is needed to learn its state.
        return new WebhookEvent(deliveryId, id, task -> answer(task, prediction));
    }

    /** The prediction's state as our answer; the task gives the engine and request the outputs belong to. */
    ProviderAnswer answer(Task task, JsonNode prediction) {
        String status = prediction.path("status").asText("");
        return switch (status) {
            case "succeeded" -> new ProviderAnswer.Done(outputs(task, prediction.get("output")));
            case "failed" -> {
                String error = prediction.path("error").asText("the prediction failed");
                yield new ProviderAnswer.Failed(new TaskError(SAFETY.matcher(error).matches()
                        ? TaskError.CONTENT_FILTERED : TaskError.PROVIDER_ERROR, "Replicate: " + error));
            }
            // Only our cancel (the user's) leaves the task canceled; otherwise Replicate stopped it itself
            // (Cancel-After passed, or "aborted": it never started) and the user sees a timeout.
            case "canceled", "aborted" -> task.status() == TaskStatus.CANCELED ? new ProviderAnswer.Canceled()
                    : new ProviderAnswer.Failed(new TaskError(TaskError.TIMEOUT,
                            "Replicate stopped the prediction (" + status + ") after its " + cancelAfter.toMinutes() + "-minute deadline."));
            // starting, processing, and any status Replicate adds later: still running
            default -> new ProviderAnswer.Running(progress(prediction.path("logs").asText("")));
        };
    }

    private List<GeneratedOutput> outputs(Task task, JsonNode output) {
        if (task.engine() == Engine.PROMPT) {
            StringBuilder text = new StringBuilder();
            if (output != null && output.isArray()) output.forEach(token -> text.append(token.asText()));
            else if (output != null && !output.isNull()) text.append(output.asText());
            byte[] bytes = text.toString().strip().getBytes(StandardCharsets.UTF_8);
            return List.of(new GeneratedOutput("text/plain; charset=utf-8", "txt", () -> new java.io.ByteArrayInputStream(bytes), null, null, null));
        }
        List<String> urls = new ArrayList<>();
        if (output != null && output.isArray()) output.forEach(url -> urls.add(url.asText()));
        else if (output != null && output.isTextual()) urls.add(output.asText());
        Size size = switch (task.request()) {
            case ImageRequest r -> r.size();
            case VideoRequest r -> r.size();
            default -> null;
        };
        Double seconds = switch (task.request()) {
            case VideoRequest r -> (double) r.durationSeconds();
            case AudioRequest r when r.durationSeconds() != null -> r.durationSeconds().doubleValue();
            default -> null;
        };
        List<GeneratedOutput> outputs = new ArrayList<>();
        for (String url : urls) {
            String extension = extension(url);
            outputs.add(new GeneratedOutput(contentType(extension), extension, () -> http.download(URI.create(url), MAX_OUTPUT_BYTES),
                    size == null ? null : size.width(), size == null ? null : size.height(), seconds));
        }
        return outputs;
    }

    /** The task's model, with the seed's {@code flux} alias resolved to Replicate's Flux model. */
    private String model(Task task) {
        String model = task.model();
        return model == null || model.equals(ImageRequest.DEFAULT_MODEL) ? defaultModel(task.request()) : model;
    }

    /** Our request as the usual inputs of Replicate's models of that kind. */
    static ObjectNode input(Task task) {
        ObjectNode input = Json.MAPPER.createObjectNode();
        switch (task.request()) {
            case ImageRequest r -> {
                input.put("prompt", r.prompt()).put("num_outputs", r.numOutputs()).put("output_format", "png");
                ratio(r.size()).ifPresent(ratio -> input.put("aspect_ratio", ratio));
                input.put("width", r.size().width()).put("height", r.size().height());
                if (r.negativePrompt() != null) input.put("negative_prompt", r.negativePrompt());
                if (r.seed() != null) input.put("seed", r.seed());
            }
            case VideoRequest r -> {
                if (r.prompt() != null) input.put("prompt", r.prompt());
                if (r.imageUrl() != null) input.put("image", r.imageUrl().toString());
                input.put("duration", r.durationSeconds()).put("fps", r.fps())
                        .put("width", r.size().width()).put("height", r.size().height());
                ratio(r.size()).ifPresent(ratio -> input.put("aspect_ratio", ratio));
                if (r.seed() != null) input.put("seed", r.seed());
            }
            case AudioRequest r -> {
                if (r.isSpeech()) {
                    input.put("text", r.text());
                    if (!AudioRequest.DEFAULT_VOICE.equals(r.voice())) input.put("voice", r.voice());
                } else {
                    input.put("prompt", r.prompt()).put("duration", r.durationSeconds());
                }
                input.put("output_format", r.format());
            }
            case PromptRequest r -> {
                String target = r.targetEngine() == null ? "any generator" : "an " + r.targetEngine().wireName() + " generator";
                input.put("system_prompt", "Rewrite the user's idea as one vivid, specific prompt for " + target
                        + (r.style() == null ? "" : ", in the style of " + r.style()) + ". Answer with the prompt only.");
                input.put("prompt", r.prompt()).put("max_tokens", r.maxTokens());
            }
        }
        return input;
    }

    private static Optional<String> ratio(Size size) {
        int gcd = java.math.BigInteger.valueOf(size.width()).gcd(java.math.BigInteger.valueOf(size.height())).intValue();
        String ratio = size.width() / gcd + ":" + size.height() / gcd;
        return FLUX_RATIOS.contains(ratio) ? Optional.of(ratio) : Optional.empty();
    }

    /** The last percentage in tqdm-style logs, the only progress Replicate reports. */
    static Integer progress(String logs) {
        Matcher m = PERCENT.matcher(logs);
        Integer last = null;
        while (m.find()) last = Math.min(100, Integer.parseInt(m.group(1)));
        return last;
    }

    private static String extension(String url) {
        String path = URI.create(url).getPath();
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "bin" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String contentType(String extension) {
        return switch (extension) {
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "webp" -> "image/webp";
            case "gif" -> "image/gif";
            case "mp4" -> "video/mp4";
            case "webm" -> "video/webm";
            case "wav" -> "audio/wav";
            case "mp3" -> "audio/mpeg";
            case "txt" -> "text/plain; charset=utf-8";
            default -> "application/octet-stream";
        };
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + token);
    }

    /** Replicate's errors are RFC 7807 problems ({@code detail}); throttling says {@code detail} too. */
    private static String errorMessage(JsonNode body) {
        return body.path("detail").asText(body.path("title").asText(null));
    }

    private static java.net.http.HttpHeaders emptyHeaders() {
        return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
    }
}
