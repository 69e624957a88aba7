package com.genplatform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.core.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/** A caller of a started run-local over real HTTP, as curl is: JSON in, status and JSON out. */
final class PlatformClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final LocalPlatform.Running platform;

    PlatformClient(LocalPlatform.Running platform) {
        this.platform = platform;
    }

    record Answer(int status, JsonNode json) {}

    Answer call(String method, String path, String body, String key) throws Exception {
        return call(method, path, body, key, Map.of());
    }

    Answer call(String method, String path, String body, String key, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).timeout(Duration.ofSeconds(30));
        if (key != null) request.header("Authorization", "Bearer " + key);
        if (body != null) request.header("Content-Type", "application/json");
        headers.forEach(request::header);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? null : Json.MAPPER.readTree(response.body()));
    }

    /** The task once it has {@code status}; fails after {@code within}, with {@code context} in the message. */
    JsonNode waitFor(String id, String key, String status, Duration within, Supplier<String> context) throws Exception {
        Instant deadline = Instant.now().plus(within);
        JsonNode task;
        do {
            task = call("GET", "/tasks/" + id, null, key).json();
            if (task.get("status").asText().equals(status)) return task;
            Thread.sleep(100);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("task " + id + " is " + task.get("status") + ", not " + status + "; " + context.get());
    }

    /** Downloads a result through its signed URL. */
    HttpResponse<byte[]> download(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
