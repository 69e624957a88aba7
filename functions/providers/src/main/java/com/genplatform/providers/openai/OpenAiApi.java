package com.genplatform.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.core.TaskError;
import com.genplatform.core.provider.ProviderException;
import com.genplatform.providers.http.ProviderHttp;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Authenticated JSON calls to the OpenAI REST API through {@link ProviderHttp}, and the reading of
 * OpenAI's error body {@code {"error": {"message", "type", "param", "code"}}} on top of the shared
 * status classification: a moderation refusal becomes a final {@code content_filtered} failure, and
 * {@code insufficient_quota} (a 429 that waiting does not cure) becomes final.
 */
final class OpenAiApi {
    static final String NAME = "openai";
    private static final Set<String> MODERATION_CODES = Set.of("moderation_blocked", "content_policy_violation");
    private static final String INSUFFICIENT_QUOTA = "insufficient_quota";

    /** The origin, and any path prefix of a proxy, without a trailing slash. */
    private final URI base;
    private final String apiKey;

    OpenAiApi(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /** POSTs {@code body} to {@code path} (e.g. {@code /v1/images/generations}) and returns the JSON answer. */
    JsonNode postJson(String path, ObjectNode body, Duration timeout) {
        return call(timeout, http -> http.json(request(path, body)));
    }

    /** POSTs {@code body} and returns the raw answer, for endpoints that answer with bytes (speech). */
    HttpResponse<byte[]> postForBytes(String path, ObjectNode body, Duration timeout) {
        return call(timeout, http -> http.send(request(path, body)));
    }

    /** Streams an output URL OpenAI returned (DALL·E URLs are signed and need no key). */
    InputStream download(URI url, long maxBytes, Duration timeout) {
        return call(timeout, http -> http.download(url, maxBytes));
    }

    private HttpRequest.Builder request(String path, ObjectNode body) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    private <T> T call(Duration timeout, java.util.function.Function<ProviderHttp, T> exchange) {
        // ProviderHttp hands us only the error message; the error object is caught here on the way through,
        // so its code can refine the shared classification (one ProviderHttp per call keeps it thread-safe).
        var error = new AtomicReference<JsonNode>();
        var http = new ProviderHttp(NAME, timeout, json -> {
            error.set(json.path("error"));
            return redact(json.path("error").path("message").asText(null));
        });
        try {
            return exchange.apply(http);
        } catch (ProviderException e) {
            throw refine(e, error.get());
        }
    }

    private static ProviderException refine(ProviderException e, JsonNode error) {
        if (error == null || error.isMissingNode()) return e;
        String code = error.path("code").asText("");
        String type = error.path("type").asText("");
        if (MODERATION_CODES.contains(code)) {
            String message = error.path("message").asText("OpenAI's safety system rejected the request");
            return new ProviderException(false, TaskError.CONTENT_FILTERED, message, null, e);
        }
        if (INSUFFICIENT_QUOTA.equals(code) || INSUFFICIENT_QUOTA.equals(type)) {
            return new ProviderException(false, TaskError.PROVIDER_ERROR, e.getMessage(), null, e);
        }
        return e;
    }

    /** OpenAI echoes a masked key in 401 messages; make sure the real one can never get through. */
    private String redact(String message) {
        return message == null || apiKey.isEmpty() ? message : message.replace(apiKey, "[redacted]");
    }
}
