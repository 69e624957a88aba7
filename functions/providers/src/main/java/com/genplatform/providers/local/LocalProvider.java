package com.genplatform.providers.local;

import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.provider.GeneratedOutput;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.ProviderException;
import com.genplatform.core.provider.WebhookDelivery;
import com.genplatform.core.provider.WebhookEvent;
import com.genplatform.core.provider.WebhookRejectedException;
import com.genplatform.core.request.AudioRequest;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.core.request.ImageRequest;
import com.genplatform.core.request.PromptRequest;
import com.genplatform.core.request.VideoRequest;
import com.genplatform.providers.webhooks.StandardWebhooks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The built-in provider: real content (PNG, H.264 MP4, WAV, text) made on the spot, with no network and
 * no key. It answers in the mode it is configured with, so every worker path runs without a real provider:
 * {@code sync} (done after {@code latency}, within the call), {@code webhook} (accepted; {@link #callback} is
 * the signed delivery it would send) or {@code poll} (accepted; done when checked after {@code latency}). Content depends only on
 * the request (and the task id where no seed is given), so any later check can produce it again.
 */
public final class LocalProvider implements GenerationProvider {
    public static final String NAME = "local";
    /**
     * The local stack's webhook secret. It is public, so it is never a default: only the local stack passes it
     * (as {@code LOCAL_WEBHOOK_SECRET}), and where none is set (AWS) local webhooks are rejected.
     */
    public static final String DEVELOPMENT_WEBHOOK_SECRET = "whsec_bG9jYWwtd2ViaG9vay1zZWNyZXQtZm9yLWRldmVsb3BtZW50";

    public enum Mode { SYNC, WEBHOOK, POLL }

    /** Simulated provider trouble, for trying the platform's fault handling: none, or every start failing. */
    public enum Failure { NONE, RETRYABLE, FINAL }

    /**
     * The most video work (width × height × frames) the local provider takes on, so that every request it
     * accepts is made well within its worker's timeout (300 s). Measured on a shared 2-core machine (load 4-5):
     * 1920x1080 at 24 fps for 5 s (248.8 million) took 35 s; the slowest rate seen, 3.9 million a second,
     * would make it 64 s, still under a quarter of the timeout.
     * Images (at most 4 of 2048x2048: under 1 s) and audio (300 s of WAV: under 1 s) are far inside theirs.
     */
    public static final long MAX_VIDEO_PIXEL_FRAMES = 250_000_000L;

    private final Mode mode;
    private final Failure failure;
    private final StandardWebhooks webhooks;
    private final Duration latency;
    private final Clock clock;
    private final boolean sendsWebhooks;

    public LocalProvider(Mode mode, String webhookSecret, Duration latency, Clock clock) {
        this(mode, Failure.NONE, webhookSecret, latency, clock, false);
    }

    /**
     * @param webhookSecret null where none is configured: webhook mode is then refused, and every delivery rejected
     * @param sendsWebhooks whether webhook mode really calls back (run-local), or leaves delivery to a test ({@link #callback})
     */
    public LocalProvider(Mode mode, Failure failure, String webhookSecret, Duration latency, Clock clock, boolean sendsWebhooks) {
        if (mode == Mode.WEBHOOK && webhookSecret == null) {
            throw new IllegalStateException("LOCAL_PROVIDER_MODE=webhook needs LOCAL_WEBHOOK_SECRET");
        }
        this.mode = mode;
        this.failure = failure;
        this.webhooks = webhookSecret == null ? null : new StandardWebhooks(webhookSecret);
        this.latency = latency;
        this.clock = clock;
        this.sendsWebhooks = sendsWebhooks;
    }

    /**
     * {@code LOCAL_PROVIDER_MODE} (sync, webhook, poll; default sync), {@code LOCAL_PROVIDER_FAILURE} (none,
     * retryable, final), {@code LOCAL_WEBHOOK_SECRET} (no default), {@code LOCAL_PROVIDER_LATENCY_MS} (how long a task
     * takes in every mode), {@code LOCAL_PROVIDER_SENDS_WEBHOOKS} (true: webhook mode calls back by itself).
     */
    public static LocalProvider fromEnvironment(Map<String, String> env) {
        String secret = env.get("LOCAL_WEBHOOK_SECRET");
        return new LocalProvider(
                choice(env, "LOCAL_PROVIDER_MODE", Mode.SYNC),
                choice(env, "LOCAL_PROVIDER_FAILURE", Failure.NONE),
                secret == null || secret.isBlank() ? null : secret.strip(),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("LOCAL_PROVIDER_LATENCY_MS", "0"))), Clock.systemUTC(),
                Boolean.parseBoolean(env.getOrDefault("LOCAL_PROVIDER_SENDS_WEBHOOKS", "false")));
    }

    private static <E extends Enum<E>> E choice(Map<String, String> env, String variable, E fallback) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) return fallback;
        try {
            return Enum.valueOf(fallback.getDeclaringClass(), value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(variable + " must be one of " + java.util.Arrays.toString(
                    fallback.getDeclaringClass().getEnumConstants()).toLowerCase(Locale.ROOT) + " (got " + value + ")");
        }
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
        return engine == Engine.IMAGE ? ImageRequest.DEFAULT_MODEL : "local-" + engine.wireName();
    }

    @Override
    public List<FieldError> unsupported(GenerationRequest request) {
        if (request instanceof AudioRequest audio && !"wav".equals(audio.format())) {
            return List.of(new FieldError("format", "the local provider makes wav audio only"));
        }
        if (request instanceof VideoRequest video && video.size() != null) {
            long perSecond = (long) video.size().width() * video.size().height() * video.fps();
            if (perSecond * video.durationSeconds() > MAX_VIDEO_PIXEL_FRAMES) {
                // Every size and fps allowed still fits for a second or more, so the duration is what to change.
                return List.of(new FieldError("duration_seconds", "the local provider makes at most "
                        + MAX_VIDEO_PIXEL_FRAMES / 1_000_000 + " million pixel-frames (width x height x fps x duration_seconds)"
                        + " within its worker's timeout: at " + video.size().width() + "x" + video.size().height() + " and "
                        + video.fps() + " fps, at most " + MAX_VIDEO_PIXEL_FRAMES / perSecond + " seconds"));
            }
        }
        return List.of();
    }

    @Override
    public ProviderAnswer start(Task task, String callbackUrl) {
        switch (failure) {
            case RETRYABLE -> throw ProviderException.retryable("the local provider is unavailable (simulated outage)", null);
            case FINAL -> throw ProviderException.fatal(com.genplatform.core.TaskError.PROVIDER_ERROR,
                    "the local provider refused the task (simulated final error)");
            case NONE -> { }
        }
        return switch (mode) {
            case SYNC -> {
                generating(latency);
                yield new ProviderAnswer.Done(outputs(task));
            }
            case WEBHOOK -> {
                if (sendsWebhooks && callbackUrl != null) callBackLater(providerTaskId(task), callbackUrl);
                yield new ProviderAnswer.Accepted(providerTaskId(task), ProviderAnswer.Callback.WEBHOOK, null);
            }
            case POLL -> new ProviderAnswer.Accepted(providerTaskId(task), ProviderAnswer.Callback.POLL, latency);
        };
    }

    @Override
    public ProviderAnswer check(Task task) {
        Duration elapsed = task.startedAt() == null ? latency : Duration.between(task.startedAt(), clock.instant());
        if (elapsed.compareTo(latency) < 0) {
            return new ProviderAnswer.Running((int) (100 * elapsed.toMillis() / Math.max(1, latency.toMillis())));
        }
        return new ProviderAnswer.Done(outputs(task));
    }

    @Override
    public void cancel(Task task) {
        // Nothing runs in the background here, so there is nothing to stop.
    }

    /**
     * Plays the provider's side: after the latency, delivers the signed callback, retrying as providers do while
     * the platform answers anything but 2xx (a 409 while the worker has not yet recorded our id). It runs
     * apart from the function that started it, as a provider would.
     */
    private void callBackLater(String providerTaskId, String callbackUrl) {
        Thread.ofVirtual().name("local-provider-webhook").start(() -> {
            pause(latency);
            for (int attempt = 1; attempt <= 6; attempt++) {
                WebhookDelivery delivery = delivery(providerTaskId);
                var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(callbackUrl))
                        .timeout(Duration.ofSeconds(30))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(delivery.rawBody()));
                delivery.headers().forEach(request::header);
                try (var http = java.net.http.HttpClient.newHttpClient()) {
                    int status = http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status / 100 == 2) return;
                } catch (IOException e) {
                    // not reachable yet: retried below
                } catch (InterruptedException e) {
                    return;
                }
                pause(Duration.ofSeconds(attempt));
            }
        });
    }

    private static void pause(Duration duration) {
        if (duration.isZero()) return;
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The signed webhook this provider sends when {@code task} is done (tests and the local stack deliver it). */
    public WebhookDelivery callback(Task task) {
        return delivery(task.providerTaskId());
    }

    private WebhookDelivery delivery(String providerTaskId) {
        if (webhooks == null) throw new IllegalStateException("LOCAL_WEBHOOK_SECRET is not configured");
        String id = "msg_" + providerTaskId;
        byte[] body = Json.MAPPER.createObjectNode().put("id", providerTaskId).put("status", "succeeded")
                .toString().getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        return new WebhookDelivery(Map.of(
                StandardWebhooks.ID, id,
                StandardWebhooks.TIMESTAMP, Long.toString(timestamp),
                StandardWebhooks.SIGNATURE, webhooks.sign(id, timestamp, body),
                "content-type", "application/json"), body);
    }

    /** Verifies the signature; the body only says which task to check, so the answer comes from {@link #check}. */
    @Override
    public WebhookEvent verifyWebhook(WebhookDelivery delivery) {
        if (webhooks == null) throw new WebhookRejectedException("LOCAL_WEBHOOK_SECRET is not configured");
        String deliveryId = webhooks.verify(delivery, clock.instant());
        try {
            String providerTaskId = Json.MAPPER.readTree(delivery.rawBody()).path("id").asText(null);
            if (providerTaskId == null) throw new WebhookRejectedException("the body has no id");
            return new WebhookEvent(deliveryId, providerTaskId, null);
        } catch (IOException e) {
            throw new WebhookRejectedException("the body is not JSON");
        }
    }

    /** A synchronous provider's time at work. Interrupted (a Lambda timeout), the call ends without an answer. */
    private static void generating(Duration latency) {
        try {
            Thread.sleep(latency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating", e);
        }
    }

    private static String providerTaskId(Task task) {
        return "local-" + task.id() + "-" + task.attempts();
    }

    /** The task's outputs, made when each is opened for storing. */
    static List<GeneratedOutput> outputs(Task task) {
        long taskSeed = task.id().hashCode() & 0xffffffffL;
        return switch (task.request()) {
            case ImageRequest r -> {
                List<GeneratedOutput> images = new ArrayList<>();
                for (int i = 0; i < r.numOutputs(); i++) {
                    int index = i;
                    long seed = r.seed() != null ? r.seed() : taskSeed;
                    images.add(new GeneratedOutput(PngImage.CONTENT_TYPE, PngImage.EXTENSION, () -> {
                        var bytes = new ByteArrayOutputStream();
                        PngImage.write(r.prompt(), seed, index, r.size().width(), r.size().height(), bytes);
                        return new ByteArrayInputStream(bytes.toByteArray());
                    }, r.size().width(), r.size().height(), null));
                }
                yield images;
            }
            case VideoRequest r -> List.of(new GeneratedOutput(Mp4Video.CONTENT_TYPE, Mp4Video.EXTENSION, () -> {
                File file = Files.createTempFile("gp-video-", ".mp4").toFile();
                Mp4Video.write(r.prompt() != null ? r.prompt() : r.imageUrl().toString(), r.seed() != null ? r.seed() : taskSeed,
                        r.size().width(), r.size().height(), r.fps(), r.durationSeconds(), file);
                return deletedOnClose(file);
            }, r.size().width(), r.size().height(), (double) r.durationSeconds()));
            case AudioRequest r -> {
                String text = r.isSpeech() ? r.text() : r.prompt();
                double seconds = r.isSpeech() ? WavAudio.speechSeconds(r.text()) : r.durationSeconds();
                yield List.of(new GeneratedOutput(WavAudio.CONTENT_TYPE, WavAudio.EXTENSION, () -> {
                    File file = Files.createTempFile("gp-audio-", ".wav").toFile();
                    try (var out = Files.newOutputStream(file.toPath())) {
                        WavAudio.write(text + "|" + r.voice(), taskSeed, seconds, out);
                    }
                    return deletedOnClose(file);
                }, null, null, seconds));
            }
            case PromptRequest r -> List.of(new GeneratedOutput(PromptText.CONTENT_TYPE, PromptText.EXTENSION,
                    () -> new ByteArrayInputStream(PromptText.enhance(r.prompt(), r.targetEngine(), r.style(), r.maxTokens())
                            .getBytes(StandardCharsets.UTF_8)),
                    null, null, null));
        };
    }

    /** A temporary file read once and then removed (Lambda's /tmp is small and shared across invocations). */
    private static InputStream deletedOnClose(File file) throws IOException {
        return new FilterInputStream(new FileInputStream(file)) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    Files.deleteIfExists(file.toPath());
                }
            }
        };
    }
}
