package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.testsupport.MediaProbe;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What infra/run-local starts, driven over real HTTP as the README's curl walk-through does: every engine,
 * a task through the Replicate-compatible provider and its signed webhook, a cancel, an invalid body, a
 * wrong key and another user's task.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalPlatformTest {
    private final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    private LocalPlatform.Running platform;
    private PlatformClient client;
    private String alice;
    private String bob;

    @BeforeAll
    void start() throws IOException {
        var options = LocalPlatform.Options.parse(new String[] {"--in-memory", "--port", "0", "--users", "alice,bob",
                "--provider-latency", "300"});
        platform = LocalPlatform.start(options, log::add);
        client = new PlatformClient(platform);
        alice = platform.apiKeys().get("alice");
        bob = platform.apiKeys().get("bob");
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    private PlatformClient.Answer call(String method, String path, String body, String key) throws Exception {
        return client.call(method, path, body, key);
    }

    private JsonNode waitFor(String id, String key, String status) throws Exception {
        return client.waitFor(id, key, status, Duration.ofSeconds(60), () -> "log:\n" + String.join("\n", log));
    }

    private byte[] download(String url) throws Exception {
        var response = client.download(url);
        assertEquals(200, response.statusCode());
        return response.body();
    }

    @Test
    void everyEngineThroughTheHttpApi() throws Exception {
        Map<String, String> bodies = Map.of(
                "image", "{\"prompt\": \"a red fox\", \"size\": \"128x96\"}",
                "video", "{\"prompt\": \"waves\", \"size\": \"160x96\", \"duration_seconds\": 1, \"fps\": 6}",
                "audio", "{\"text\": \"one two three four five\"}",
                "prompt", "{\"prompt\": \"a castle\", \"target_engine\": \"image\"}");
        List<String[]> submitted = new ArrayList<>();
        for (var entry : bodies.entrySet()) {
            var answer = call("POST", "/generate/" + entry.getKey(), entry.getValue(), alice);
            assertEquals(202, answer.status(), String.valueOf(answer.json()));
            submitted.add(new String[] {entry.getKey(), answer.json().get("id").asText()});
        }
        for (String[] task : submitted) {
            waitFor(task[1], alice, "succeeded");
            byte[] file = download(call("GET", "/tasks/" + task[1] + "/result", null, alice).json().get("url").asText());
            switch (task[0]) {
                case "image" -> assertEquals(new MediaProbe.Picture(128, 96), MediaProbe.png(file));
                case "video" -> assertEquals(1.0, MediaProbe.mp4(file).seconds(), 0.2);
                case "audio" -> assertEquals(2.0, MediaProbe.wav(file).seconds(), 1e-6);
                default -> assertTrue(new String(file).contains("castle"));
            }
        }
    }

    @Test
    void replicateThroughTheCompatibleServerAndItsSignedWebhook() throws Exception {
        var answer = call("POST", "/generate/image", "{\"prompt\": \"a lighthouse\", \"size\": \"256x144\", \"provider\": \"replicate\", \"num_outputs\": 2}", alice);
        assertEquals(202, answer.status(), String.valueOf(answer.json()));
        assertEquals("black-forest-labs/flux-schnell", answer.json().get("model").asText(), "the seed's flux alias");
        String id = answer.json().get("id").asText();
        JsonNode task = waitFor(id, alice, "succeeded");
        assertTrue(task.get("provider_task_id").asText().length() > 10);
        var result = call("GET", "/tasks/" + id + "/result", null, alice).json();
        assertEquals(2, result.get("outputs").size());
        for (JsonNode output : result.get("outputs")) {
            assertEquals(new MediaProbe.Picture(256, 144), MediaProbe.png(download(output.get("url").asText())));
        }
        assertTrue(log.stream().anyMatch(line -> line.contains("webhook completed for " + task.get("provider_task_id").asText() + " -> 200")),
                "the result came by the signed webhook: " + log);
    }

    @Test
    void providerKeysInTheLaunchersEnvironmentReachTheFunctions() {
        var settings = LocalPlatform.providerSettings(Map.of("OPENAI_API_KEY", "sk-1", "REPLICATE_API_TOKEN", "r8_real",
                "HOME", "/root", "DEFAULT_PROVIDER_IMAGE", "openai", "OPENAI_BASE_URL", ""));
        assertEquals(Map.of("OPENAI_API_KEY", "sk-1", "REPLICATE_API_TOKEN", "r8_real", "DEFAULT_PROVIDER_IMAGE", "openai",
                "REPLICATE_BASE_URL", "https://api.replicate.com/v1", "REPLICATE_WEBHOOKS", "false"), settings);
        assertEquals(Map.of(), LocalPlatform.providerSettings(Map.of("PATH", "/bin")));
    }

    @Test
    void cancelInvalidBodyWrongKeyAndOtherUsersTask() throws Exception {
        var slow = call("POST", "/generate/image", "{\"prompt\": \"slow\", \"size\": \"64x64\", \"provider\": \"replicate\"}", alice);
        String id = slow.json().get("id").asText();
        var canceled = call("POST", "/tasks/" + id + "/cancel", null, alice);
        assertEquals(200, canceled.status());
        assertEquals("canceled", canceled.json().get("status").asText());
        Thread.sleep(800); // the provider's late answer must change nothing
        assertEquals("canceled", call("GET", "/tasks/" + id, null, alice).json().get("status").asText());

        var invalid = call("POST", "/generate/video", "{\"fps\": 500, \"size\": \"big\"}", alice);
        assertEquals(400, invalid.status());
        assertEquals(3, invalid.json().get("error").get("details").size(), invalid.json().toString());

        assertEquals(401, call("GET", "/tasks", null, "gp_wrong").status());
        assertEquals(404, call("GET", "/tasks/" + id, null, bob).status());
    }
}
