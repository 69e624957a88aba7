package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        try (var platform = LocalPlatform.start(options, log::add)) {
            var client = new PlatformClient(platform);
            String key = platform.apiKeys().get("dev");
            var submit = client.call("POST", "/generate/prompt", "{\"prompt\": \"a bell\"}", key);
            assertEquals(202, submit.status(), String.valueOf(submit.json()));
            // The safety-net check comes after 60 s; well before it, only the callback can have finished the task.
            client.waitFor(submit.json().get("id").asText(), key, "succeeded", Duration.ofSeconds(30), () -> String.join("\n", log));
            // The server logs a request once it has answered it, which can be just after the task changed.
            Instant logged = Instant.now().plus(Duration.ofSeconds(10));
            while (log.stream().noneMatch(line -> line.contains("POST /api/v3/webhooks/local")) && Instant.now().isBefore(logged)) {
                Thread.sleep(50);
            }
            assertTrue(log.stream().anyMatch(line -> line.contains("POST /api/v3/webhooks/local")), String.join("\n", log));
        }
    }
}
