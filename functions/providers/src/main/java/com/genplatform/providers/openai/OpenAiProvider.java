package com.genplatform.providers.openai;

import com.genplatform.core.Engine;
import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.provider.SynchronousProvider;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.ProviderException;
import com.genplatform.core.request.AudioRequest;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.core.request.ImageRequest;
import com.genplatform.core.request.PromptRequest;
import com.genplatform.core.request.VideoRequest;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * OpenAI's REST API (v1, bearer-key authentication), answering every task at once ({@code sync}):
 * <ul>
 *   <li>prompt: {@code POST /v1/chat/completions} (default {@code gpt-4o-mini}), a system message asking
 *       for a richer prompt for the target engine and style, {@code max_completion_tokens} from the
 *       request; {@code finish_reason: content_filter} or a refusal fails the task as {@code content_filtered};</li>
 *   <li>image: {@code POST /v1/images/generations} (default {@code gpt-image-1}; also {@code gpt-image-1-mini},
 *       {@code gpt-image-1.5}, {@code dall-e-3}, {@code dall-e-2}), PNGs from {@code data[].b64_json}, or
 *       streamed from {@code data[].url} where a compatible server answers with URLs;</li>
 *   <li>audio, speech only: {@code POST /v1/audio/speech} (default {@code gpt-4o-mini-tts}; also
 *       {@code tts-1}, {@code tts-1-hd}), wav or mp3 bytes.</li>
 * </ul>
 * Errors are OpenAI's {@code {"error": {"message", "type", "param", "code"}}}: {@code moderation_blocked}
 * and {@code content_policy_violation} fail the task as {@code content_filtered}; {@code insufficient_quota}
 * is final although it comes as a 429; other statuses follow {@code ProviderHttp}.
 */
public final class OpenAiProvider implements SynchronousProvider {
    public static final String NAME = OpenAiApi.NAME;
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.openai.com");
    public static final Duration TIMEOUT = Duration.ofSeconds(60);
    public static final Duration IMAGE_TIMEOUT = Duration.ofSeconds(120);

    private final OpenAiChat chat;
    private final OpenAiImages images;
    private final OpenAiSpeech speech;

    /**
     * @param baseUrl      OpenAI's origin (or a compatible server's); a trailing {@code /v1}, as the official
     *                     SDKs' {@code OPENAI_BASE_URL} carries it, is accepted and dropped
     * @param timeout      for chat and speech calls
     * @param imageTimeout for image calls, which take longer
     */
    public OpenAiProvider(URI baseUrl, String apiKey, Duration timeout, Duration imageTimeout) {
        OpenAiApi api = new OpenAiApi(origin(baseUrl), apiKey);
        this.chat = new OpenAiChat(api, timeout);
        this.images = new OpenAiImages(api, imageTimeout);
        this.speech = new OpenAiSpeech(api, timeout);
    }

    /** {@code OPENAI_API_KEY} (required: no key, no provider) and {@code OPENAI_BASE_URL}. */
    public static Optional<OpenAiProvider> fromEnvironment(Map<String, String> env) {
        String key = env.get("OPENAI_API_KEY");
        if (key == null || key.isBlank()) return Optional.empty();
        String base = env.get("OPENAI_BASE_URL");
        URI baseUrl = base == null || base.isBlank() ? DEFAULT_BASE_URL : URI.create(base.strip());
        return Optional.of(new OpenAiProvider(baseUrl, key.strip(), TIMEOUT, IMAGE_TIMEOUT));
    }

    static URI origin(URI baseUrl) {
        String text = baseUrl.toString().replaceAll("/+$", "");
        if (text.endsWith("/v1")) text = text.substring(0, text.length() - "/v1".length());
        return URI.create(text);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Engine> engines() {
        return EnumSet.of(Engine.PROMPT, Engine.IMAGE, Engine.AUDIO);
    }

    @Override
    public String defaultModel(Engine engine) {
        return switch (engine) {
            case PROMPT -> OpenAiChat.DEFAULT_MODEL;
            case IMAGE -> OpenAiImages.DEFAULT_MODEL;
            case AUDIO -> OpenAiSpeech.DEFAULT_MODEL;
            case VIDEO -> throw new IllegalArgumentException("the openai provider does not make video");
        };
    }

    @Override
    public List<FieldError> unsupported(GenerationRequest request) {
        if (!engines().contains(request.engine())) {
            return List.of(new FieldError("provider", "the openai provider does not make " + request.engine().wireName()));
        }
        return unsupported(request, model(request, null));
    }

    private List<FieldError> unsupported(GenerationRequest request, String model) {
        return switch (request) {
            case ImageRequest r -> OpenAiImages.unsupported(r, model);
            case AudioRequest r -> OpenAiSpeech.unsupported(r, model);
            case PromptRequest r -> List.of();
            case VideoRequest r -> List.of(new FieldError("provider", "the openai provider does not make video"));
        };
    }

    @Override
    public ProviderAnswer start(Task task, String callbackUrl) {
        // Checked again: a deploy between submit and run may have changed what this provider serves.
        String model = model(task.request(), task.model());
        List<FieldError> problems = unsupported(task.request(), model);
        if (!problems.isEmpty()) {
            throw ProviderException.fatal(TaskError.PROVIDER_ERROR, "openai cannot run this task: " + problems.stream()
                    .map(p -> p.field() + " " + p.message()).collect(Collectors.joining("; ")));
        }
        try {
            return switch (task.request()) {
                case PromptRequest r -> chat.generate(r, model);
                case ImageRequest r -> images.generate(r, model);
                case AudioRequest r -> speech.generate(r, model);
                case VideoRequest r -> throw new IllegalStateException("unreachable: refused by unsupported()");
            };
        } catch (ProviderException e) {
            if (TaskError.CONTENT_FILTERED.equals(e.code())) {
                return new ProviderAnswer.Failed(new TaskError(TaskError.CONTENT_FILTERED, e.getMessage()));
            }
            throw e;
        }
    }

    /** Every answer is given by {@link #start}; there is never an accepted task to ask about. */


    /** The model to use: the task's, else the request's, else this provider's default for the engine. */
    private String model(GenerationRequest request, String taskModel) {
        if (taskModel != null) return taskModel;
        if (request.model() != null) return request.model();
        return engines().contains(request.engine()) ? defaultModel(request.engine()) : null;
    }
}
