package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.aws.DynamoTaskStore;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.SamTemplate;
import com.genplatform.testsupport.iam.Iam;
import com.genplatform.testsupport.iam.Role;
import com.genplatform.testsupport.iam.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IAM as AWS applies it, on the whole platform: with a provider-keys secret configured (so every conditional
 * statement is in force) the flows of every function pass with each function limited to its own role, and
 * every statement the template gives a function is needed by a call that function made (so removing any one
 * of them makes that call fail, as it would on AWS).
 */
class IamTest {
    @Test
    void everyFunctionWorksWithinItsRoleAndNeedsEveryStatementOfIt(@TempDir Path dir) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.json"), "{\"STABILITY_API_KEY\": \"sk-not-called\"}");
        var options = LocalPlatform.Options.parse(new String[] {"--in-memory", "--port", "0", "--provider-latency", "100",
                "--local-provider-mode", "poll", "--provider-keys", keys.toString()});
        try (var platform = LocalPlatform.start(options, line -> { })) {
            var client = new PlatformClient(platform);
            String key = platform.apiKeys().get("dev");
            List<String> ids = new ArrayList<>();
            for (var body : Map.of("image", "{\"prompt\": \"a fox\", \"size\": \"64x64\"}",
                    "video", "{\"prompt\": \"waves\", \"size\": \"64x64\", \"duration_seconds\": 1, \"fps\": 4}",
                    "audio", "{\"text\": \"hello\"}",
                    "prompt", "{\"prompt\": \"a castle\"}").entrySet()) {
                var answer = client.call("POST", "/generate/" + body.getKey(), body.getValue(), key, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
                assertEquals(202, answer.status(), answer.json().toString());
                ids.add(answer.json().get("id").asText());
            }
            var replicate = client.call("POST", "/generate/image", "{\"prompt\": \"a lighthouse\", \"size\": \"64x64\", \"provider\": \"replicate\"}", key);
            assertEquals(202, replicate.status(), replicate.json().toString());
            ids.add(replicate.json().get("id").asText());
            // A task stored but never queued, for the sweeper.
            var tasks = new DynamoTaskStore(platform.aws().dynamoDb(), platform.aws().ref("TasksTable"), Duration.ofDays(1));
            Task orphan = Task.create(UUID.randomUUID().toString(), "dev", GenerationRequest.parse(Engine.PROMPT,
                    Json.MAPPER.createObjectNode().put("prompt", "orphan")), "local", "local-prompt", Instant.now().minus(Duration.ofMinutes(30)));
            tasks.create(orphan);
            // And one past the maximum age (240 minutes), which the sweeper fails.
            Task expired = Task.create(UUID.randomUUID().toString(), "dev", GenerationRequest.parse(Engine.PROMPT,
                    Json.MAPPER.createObjectNode().put("prompt", "expired")), "local", "local-prompt", Instant.now().minus(Duration.ofHours(5)));
            tasks.create(expired);
            platform.stack().fireSchedules();
            assertEquals("timeout", tasks.find(expired.id()).orElseThrow().error().code());
            for (String id : ids) {
                client.waitFor(id, key, "succeeded", Duration.ofSeconds(60), () -> "");
                var result = client.call("GET", "/tasks/" + id + "/result", null, key);
                var download = client.download(result.json().get("outputs").get(0).get("url").asText());
                assertEquals(200, download.statusCode(), "a URL signed by the API function is served as its role allows");
            }
            client.waitFor(orphan.id(), key, "succeeded", Duration.ofSeconds(60), () -> "");
            assertEquals(200, client.call("GET", "/tasks?limit=5", null, key).status());

            Iam iam = platform.aws().iam();
            var denied = iam.decisions().stream().filter(d -> !d.allowed()).toList();
            assertTrue(denied.isEmpty(), "calls the roles do not allow: " + denied);
            List<String> unneeded = new ArrayList<>();
            for (Role role : iam.roles().values()) {
                for (Statement statement : role.statements()) {
                    if (statement.source().startsWith("AWS managed")) continue; // SAM attaches these; not ours to trim
                    boolean needed = iam.decisions().stream().anyMatch(d -> d.functionId().equals(role.functionId())
                            && d.allowedBy().isPresent() && withoutStatement(role, statement).allowing(d.action(), d.resource()).isEmpty());
                    if (!needed) unneeded.add(statement.source() + " " + statement.actions() + " on " + statement.resources());
                }
            }
            assertTrue(unneeded.isEmpty(), "statements no call needed (remove them, or add the flow that needs them): " + unneeded);
        }
    }

    @Test
    void withoutItsIdempotencyPermissionTheApiFailsEverySubmitThatCarriesAKey(@TempDir Path dir) throws Exception {
        SamTemplate real = SamTemplate.locate();
        Path root = real.path().getParent();
        // The defect put back: ApiFunction's policies without the idempotency table's.
        String text = Files.readString(real.path())
                .replace("        - !Ref TaskRecordsPolicy\n        - !Ref IdempotencyRecordsPolicy\n        - !Ref EngineQueuesSendPolicy",
                        "        - !Ref TaskRecordsPolicy\n        - !Ref EngineQueuesSendPolicy")
                .replace("CodeUri: functions/", "CodeUri: " + root.resolve("functions") + "/");
        assertTrue(!text.equals(Files.readString(real.path())), "the template's ApiFunction policies moved; update this test");
        Path copy = Files.writeString(dir.resolve("template.yaml"), text);
        try (var aws = LocalAws.start(SamTemplate.load(copy), LocalAws.Settings.inMemory());
             var stack = new LocalStack(aws, Map.of())) {
            var client = new Client(stack.router());
            String key = stack.issueApiKey("dev");
            var headers = new java.util.HashMap<String, String>(Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json",
                    "Idempotency-Key", UUID.randomUUID().toString()));
            var answer = client.send("POST", "/api/v3/generate/prompt", headers, "{\"prompt\": \"x\"}".getBytes());
            assertEquals(500, answer.status(), String.valueOf(answer.json()));
            assertTrue(aws.iam().decisions().stream().anyMatch(d -> !d.allowed() && d.functionId().equals("ApiFunction")
                    && d.resource().endsWith(":table/IdempotencyTable")), aws.iam().decisions().toString());
            // Without the header the same submit needs no idempotency record, and works.
            headers.remove("Idempotency-Key");
            assertEquals(202, client.send("POST", "/api/v3/generate/prompt", headers, "{\"prompt\": \"x\"}".getBytes()).status());
        }
    }

    private static Role withoutStatement(Role role, Statement removed) {
        return new Role(role.functionId(), role.sessionArn(), role.statements().stream().filter(s -> s != removed).toList());
    }

}
