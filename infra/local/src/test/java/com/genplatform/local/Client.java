package com.genplatform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.core.Json;
import com.genplatform.core.provider.WebhookDelivery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A caller of the local HTTP API, as curl would be: method, path, JSON body, API key. */
final class Client {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final HttpApiRouter router;

    Client(HttpApiRouter router) {
        this.router = router;
    }

    record Answer(int status, Map<String, String> headers, JsonNode json) {}

    Answer call(String method, String pathAndQuery, String body, String apiKey) {
        Map<String, String> headers = new HashMap<>();
        headers.put("host", "127.0.0.1:3000");
        headers.put("user-agent", "flow-test");
        if (apiKey != null) headers.put("Authorization", "Bearer " + apiKey);
        if (body != null) headers.put("Content-Type", "application/json");
        return send(method, pathAndQuery, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    Answer send(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        int q = pathAndQuery.indexOf('?');
        var reply = router.handle(new HttpApiRouter.Request(method, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q),
                q < 0 ? "" : pathAndQuery.substring(q + 1), headers, body, "127.0.0.1"));
        try {
            JsonNode json = reply.body().length == 0 ? null : Json.MAPPER.readTree(reply.body());
            return new Answer(reply.status(), reply.headers(), json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + reply.text(), e);
        }
    }

    Answer deliver(String provider, String taskId, WebhookDelivery delivery) {
        return send("POST", "/api/v3/webhooks/" + provider + "?task=" + taskId, delivery.headers(), delivery.rawBody());
    }

    /** Downloads a result through its signed URL, as a caller would. */
    static byte[] download(String url) {
        try {
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) throw new AssertionError("GET " + url + " answered " + response.statusCode());
            return response.body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
