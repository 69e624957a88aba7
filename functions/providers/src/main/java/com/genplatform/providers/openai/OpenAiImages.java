package com.genplatform.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.core.Json;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.provider.GeneratedOutput;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.ProviderException;
import com.genplatform.core.request.ImageRequest;
import com.genplatform.core.request.Size;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The image engine: {@code POST /v1/images/generations} with GPT image or DALL·E models, PNG outputs. */
final class OpenAiImages {
    static final String PATH = "/v1/images/generations";
    static final String DEFAULT_MODEL = "gpt-image-1";
    static final String CONTENT_TYPE = "image/png";
    static final String EXTENSION = "png";
    private static final long MAX_DOWNLOAD_BYTES = 64L * 1024 * 1024;

    /** What one model accepts, as documented for the Images API. */
    record Model(List<Size> sizes, int maxOutputs, int maxPromptChars, boolean gptImage) {}

    private static final List<Size> GPT_IMAGE_SIZES = List.of(new Size(1024, 1024), new Size(1536, 1024), new Size(1024, 1536));
    static final Map<String, Model> MODELS = Map.of(
            "gpt-image-1", new Model(GPT_IMAGE_SIZES, 10, 32_000, true),
            "gpt-image-1-mini", new Model(GPT_IMAGE_SIZES, 10, 32_000, true),
            "gpt-image-1.5", new Model(GPT_IMAGE_SIZES, 10, 32_000, true),
            "dall-e-3", new Model(List.of(new Size(1024, 1024), new Size(1792, 1024), new Size(1024, 1792)), 1, 4_000, false),
            "dall-e-2", new Model(List.of(new Size(256, 256), new Size(512, 512), new Size(1024, 1024)), 10, 1_000, false));

    private final OpenAiApi api;
    private final Duration timeout;

    OpenAiImages(OpenAiApi api, Duration timeout) {
        this.api = api;
        this.timeout = timeout;
    }

    static List<FieldError> unsupported(ImageRequest request, String modelName) {
        Model model = MODELS.get(modelName);
        if (model == null) {
            String known = MODELS.keySet().stream().sorted().collect(Collectors.joining(", "));
            return List.of(new FieldError("model", ImageRequest.DEFAULT_MODEL.equals(modelName)
                    ? "\"flux\" is not an OpenAI model; the openai provider serves " + known
                    : "the openai provider serves the image models " + known + " (got \"" + modelName + "\")"));
        }
        List<FieldError> problems = new ArrayList<>();
        if (!model.sizes().contains(request.size())) {
            problems.add(new FieldError("size", modelName + " makes images of " + model.sizes().stream()
                    .map(Size::toString).collect(Collectors.joining(", ")) + " only (got " + request.size() + ")"));
        }
        if (request.numOutputs() > model.maxOutputs()) {
            problems.add(new FieldError("num_outputs", modelName + " makes at most " + model.maxOutputs()
                    + " image" + (model.maxOutputs() == 1 ? "" : "s") + " per request (got " + request.numOutputs() + ")"));
        }
        if (request.prompt() != null && request.prompt().length() > model.maxPromptChars()) {
            problems.add(new FieldError("prompt", modelName + " takes prompts of at most " + model.maxPromptChars()
                    + " characters (got " + request.prompt().length() + ")"));
        }
        if (request.negativePrompt() != null) {
            problems.add(new FieldError("negative_prompt", "OpenAI image models take no negative prompt; say what to avoid in the prompt"));
        }
        if (request.seed() != null) {
            problems.add(new FieldError("seed", "OpenAI image models cannot be seeded; leave seed out"));
        }
        return problems;
    }

    ProviderAnswer generate(ImageRequest request, String modelName) {
        JsonNode data = api.postJson(PATH, body(request, modelName), timeout).path("data");
        if (!data.isArray() || data.isEmpty()) {
            throw ProviderException.retryable("openai answered without images", null);
        }
        List<GeneratedOutput> outputs = new ArrayList<>();
        for (JsonNode image : data) {
            outputs.add(output(image, request.size()));
        }
        return new ProviderAnswer.Done(outputs);
    }

    static ObjectNode body(ImageRequest request, String modelName) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("model", modelName)
                .put("prompt", request.prompt())
                .put("n", request.numOutputs())
                .put("size", request.size().toString());
        Model model = MODELS.get(modelName);
        if (model != null && model.gptImage()) {
            body.put("output_format", "png");
        } else {
            // DALL·E answers with 60-minute URLs by default; the bytes themselves cannot expire.
            body.put("response_format", "b64_json");
        }
        return body;
    }

    private GeneratedOutput output(JsonNode image, Size size) {
        String base64 = image.path("b64_json").asText(null);
        if (base64 != null) {
            byte[] png = decode(base64);
            return new GeneratedOutput(CONTENT_TYPE, EXTENSION, () -> new ByteArrayInputStream(png), size.width(), size.height(), null);
        }
        String url = image.path("url").asText(null);
        if (url == null) {
            throw ProviderException.retryable("openai answered with an image that has neither b64_json nor url", null);
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ProviderException.retryable("openai answered with an image URL that is not valid", null);
        }
        return new GeneratedOutput(CONTENT_TYPE, EXTENSION, () -> api.download(uri, MAX_DOWNLOAD_BYTES, timeout),
                size.width(), size.height(), null);
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw ProviderException.retryable("openai answered with an image that is not valid base64", null);
        }
    }
}
