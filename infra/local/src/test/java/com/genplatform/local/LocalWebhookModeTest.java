package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.core.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** run-local's local provider in webhook mode really calls back, signed, instead of waiting for the safety net. */
class LocalWebhookModeTest {

    @Test
    void aWebhookModeTaskIsFinishedByItsCallback() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        var options = LocalPlatform.Options.parse(new String[] {"--in-memory", "--port", "0", "--local-provider-mode", "webhook",
                "--provider-latency", "200"});
        try (var platform = LocalPlatform.start(options, log::add); var http = HttpClient.newHttpClient()) {
            String key = platform.apiKeys().get("dev");
            var submit = http.send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + "/generate/prompt"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"a bell\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, submit.statusCode(), submit.body());
            String id = Json.MAPPER.readTree(submit.body()).get("id").asText();
            // The safety-net check comes after 60 s; well before it, only the callback can have finished the task.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            String status;
            do {
                Thread.sleep(100);
                var task = http.send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + "/tasks/" + id))
                        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
                status = Json.MAPPER.readTree(task.body()).get("status").asText();
            } while (!status.equals("succeeded") && Instant.now().isBefore(deadline));
            assertEquals("succeeded", status, String.join("\n", log));
            // The server logs a request once it has answered it, which can be just after the task changed.
            Instant logged = Instant.now().plus(Duration.ofSeconds(10));
            while (log.stream().noneMatch(line -> line.contains("POST /api/v3/webhooks/local")) && Instant.now().isBefore(logged)) {
                Thread.sleep(50);
            }
            assertTrue(log.stream().anyMatch(line -> line.contains("POST /api/v3/webhooks/local")), String.join("\n", log));
        }
    }
}
