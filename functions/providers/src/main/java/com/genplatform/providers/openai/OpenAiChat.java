package com.genplatform.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.TaskError;
import com.genplatform.core.provider.GeneratedOutput;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.ProviderException;
import com.genplatform.core.request.PromptRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** The prompt engine: {@code POST /v1/chat/completions} rewriting the caller's prompt for its target engine. */
final class OpenAiChat {
    static final String PATH = "/v1/chat/completions";
    static final String DEFAULT_MODEL = "gpt-4o-mini";
    static final String CONTENT_TYPE = "text/plain; charset=utf-8";
    static final String EXTENSION = "txt";

    private final OpenAiApi api;
    private final Duration timeout;

    OpenAiChat(OpenAiApi api, Duration timeout) {
        this.api = api;
        this.timeout = timeout;
    }

    ProviderAnswer generate(PromptRequest request, String model) {
        JsonNode answer = api.postJson(PATH, body(request, model), timeout);
        JsonNode choice = answer.path("choices").path(0);
        if (choice.isMissingNode()) {
            throw ProviderException.retryable("openai answered without choices", null);
        }
        JsonNode message = choice.path("message");
        if ("content_filter".equals(choice.path("finish_reason").asText())) {
            return filtered("OpenAI's content filter withheld the rewritten prompt.");
        }
        String content = message.path("content").asText("").strip();
        if (content.isEmpty()) {
            String refusal = message.path("refusal").asText("");
            if (!refusal.isBlank()) return filtered("The model refused: " + refusal.strip());
            throw ProviderException.retryable("openai answered with an empty message", null);
        }
        byte[] text = content.getBytes(StandardCharsets.UTF_8);
        return new ProviderAnswer.Done(List.of(new GeneratedOutput(CONTENT_TYPE, EXTENSION,
                () -> new ByteArrayInputStream(text), null, null, null)));
    }

    static ObjectNode body(PromptRequest request, String model) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", model);
        body.putArray("messages")
                .add(message("system", instructions(request.targetEngine(), request.style())))
                .add(message("user", request.prompt()));
        // max_tokens is deprecated and rejected by reasoning models; max_completion_tokens works for all.
        body.put("max_completion_tokens", request.maxTokens());
        return body;
    }

    /** The system message: what a good prompt for the target engine contains, and the style asked for. */
    static String instructions(Engine target, String style) {
        String purpose = switch (target == null ? Engine.PROMPT : target) {
            case IMAGE -> "an image generation model. Describe the subject, composition, framing, lighting, colour "
                    + "palette, lens and level of detail";
            case VIDEO -> "a text-to-video model. Describe the subject, the action and motion over time, camera "
                    + "movement, pacing, lighting and setting";
            case AUDIO -> "a music and sound generation model. Describe the genre, instruments, tempo, mood, "
                    + "texture and how the piece develops";
            case PROMPT -> "a general-purpose generative model. Make it clearer, more specific and more vivid";
        };
        return "You rewrite the user's prompt into a richer prompt for " + purpose + ". Keep the user's intent. "
                + (style == null ? "" : "Write it in this style: " + style + ". ")
                + "Answer with the rewritten prompt only: no preamble, no quotes, no explanations.";
    }

    private static ObjectNode message(String role, String content) {
        return Json.MAPPER.createObjectNode().put("role", role).put("content", content);
    }

    private static ProviderAnswer filtered(String message) {
        return new ProviderAnswer.Failed(new TaskError(TaskError.CONTENT_FILTERED, message));
    }
}
