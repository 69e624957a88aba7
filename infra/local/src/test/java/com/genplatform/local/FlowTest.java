package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.aws.DynamoTaskStore;
import com.genplatform.core.Task;
import com.genplatform.providers.local.LocalProvider;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.LocalAwsExtension;
import com.genplatform.testsupport.MediaProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every engine end to end through the real functions on the emulators: submit over the HTTP API, the
 * engine's worker, the local provider answering synchronously, by webhook or by polling, the finaliser,
 * the result, and the downloaded file checked for what it claims to be.
 */
@ExtendWith(LocalAwsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlowTest {
    private final LocalAws aws;
    private final Map<String, LocalStack> stacks = new java.util.HashMap<>();
    private DynamoTaskStore tasks;

    FlowTest(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeAll
    void start() {
        for (String mode : new String[] {"sync", "webhook", "poll"}) {
            stacks.put(mode, new LocalStack(aws, Map.of("LOCAL_PROVIDER_MODE", mode, "FIRST_POLL_SECONDS", "0")));
        }
        tasks = new DynamoTaskStore(aws.dynamoDb(), aws.ref("TasksTable"), Duration.ofDays(1));
    }

    @AfterAll
    void stop() {
        stacks.values().forEach(LocalStack::close);
    }

    @ParameterizedTest(name = "{0} via {1}")
    @CsvSource(delimiter = '|', value = {
            "image|sync", "image|webhook", "image|poll",
            "video|sync", "video|webhook", "video|poll",
            "audio|sync", "audio|webhook", "audio|poll",
            "prompt|sync", "prompt|webhook", "prompt|poll"})
    void engineEndToEnd(String engine, String mode) {
        LocalStack stack = stacks.get(mode);
        var client = new Client(stack.router());
        String key = stack.issueApiKey("user-" + UUID.randomUUID());
        String body = switch (engine) {
            case "image" -> "{\"prompt\": \"a red fox in snow\", \"size\": \"320x200\", \"num_outputs\": 2}";
            case "video" -> "{\"prompt\": \"waves at dawn\", \"size\": \"256x144\", \"duration_seconds\": 2, \"fps\": 8}";
            case "audio" -> "{\"prompt\": \"calm piano\", \"duration_seconds\": 3}";
            default -> "{\"prompt\": \"a lighthouse in a storm\", \"target_engine\": \"image\", \"style\": \"oil painting\"}";
        };
        var submitted = client.call("POST", "/api/v3/generate/" + engine, body, key);
        assertEquals(202, submitted.status(), submitted.json().toString());
        String id = submitted.json().get("id").asText();
        assertEquals("/api/v3/tasks/" + id, submitted.headers().get("Location"));
        assertEquals("pending", submitted.json().get("status").asText());
        assertEquals("local", submitted.json().get("provider").asText());

        var early = client.call("GET", "/api/v3/tasks/" + id + "/result", null, key);
        assertEquals(409, early.status());
        assertEquals("task_not_finished", early.json().get("error").get("code").asText());

        stack.drainQueues(Duration.ofMillis(300));
        if (mode.equals("webhook")) {
            Task waiting = tasks.find(id).orElseThrow();
            assertEquals("processing", waiting.status().wireName());
            assertTrue(waiting.providerTaskId().startsWith("local-"), waiting.providerTaskId());
            var delivered = client.deliver("local", id, LocalProvider.fromEnvironment(Map.of("LOCAL_WEBHOOK_SECRET", LocalProvider.DEVELOPMENT_WEBHOOK_SECRET)).callback(waiting));
            assertEquals(200, delivered.status(), String.valueOf(delivered.json()));
        }

        var status = client.call("GET", "/api/v3/tasks/" + id, null, key);
        assertEquals("succeeded", status.json().get("status").asText(), status.json().toString());
        var result = client.call("GET", "/api/v3/tasks/" + id + "/result", null, key);
        assertEquals(200, result.status(), result.json().toString());
        JsonNode outputs = result.json().get("outputs");
        assertEquals(engine.equals("image") ? 2 : 1, outputs.size());
        for (JsonNode output : outputs) {
            byte[] file = Client.download(output.get("url").asText());
            assertEquals(output.get("bytes").asLong(), file.length);
            switch (engine) {
                case "image" -> assertEquals(new MediaProbe.Picture(320, 200), MediaProbe.png(file));
                case "video" -> {
                    var video = MediaProbe.mp4(file);
                    assertEquals(2.0, video.seconds(), 0.125);
                    assertEquals(256, video.width());
                    assertEquals(144, video.height());
                    assertEquals("video/mp4", output.get("content_type").asText());
                }
                case "audio" -> assertEquals(3.0, MediaProbe.wav(file).seconds(), 1e-6);
                default -> {
                    String text = new String(file, StandardCharsets.UTF_8);
                    assertFalse(text.isBlank());
                    assertTrue(text.contains("lighthouse"), text);
                }
            }
        }
        if (engine.equals("image")) {
            assertFalse(java.util.Arrays.equals(Client.download(outputs.get(0).get("url").asText()),
                    Client.download(outputs.get(1).get("url").asText())), "two outputs, two different images");
        }
    }
}
