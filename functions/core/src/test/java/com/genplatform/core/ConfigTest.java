package com.genplatform.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.core.config.PlatformConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private static Map<String, String> complete() {
        var env = new HashMap<String, String>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("TASKS_TABLE", "tasks");
        env.put("API_KEYS_TABLE", "keys");
        env.put("IDEMPOTENCY_TABLE", "idem");
        env.put("RESULTS_BUCKET", "results");
        for (Engine engine : Engine.values()) {
            env.put(engine.name() + "_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/1/" + engine.wireName());
        }
        return env;
    }

    @Test
    void readsACompleteEnvironment() {
        var env = complete();
        env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324");
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:4566");
        env.put("RESULT_URL_EXPIRY_SECONDS", "600");
        PlatformConfig config = PlatformConfig.fromEnvironment(env);
        assertEquals("tasks", config.tasksTable());
        assertEquals("https://sqs.eu-west-1.amazonaws.com/1/audio", config.queueUrl(Engine.AUDIO));
        assertEquals("127.0.0.1", config.endpoints().sqs().getHost());
        assertEquals(null, config.endpoints().s3());
        assertEquals(4566, config.endpoints().secretsManager().getPort());
        assertEquals(Duration.ofMinutes(10), config.resultUrlExpiry());
        assertTrue(config.credentials().isEmpty());
    }

    @Test
    void namesEveryMissingOrMalformedVariable() {
        var env = complete();
        env.remove("TASKS_TABLE");
        env.remove("VIDEO_QUEUE_URL");
        env.put("AWS_ENDPOINT_URL_S3", "not a url");
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", "secretsmanager");
        env.put("TASK_RETENTION_DAYS", "-3");
        env.put("AWS_ACCESS_KEY_ID", "AKIA...");
        var error = assertThrows(IllegalStateException.class, () -> PlatformConfig.fromEnvironment(env));
        for (String name : new String[] {"TASKS_TABLE", "VIDEO_QUEUE_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "TASK_RETENTION_DAYS", "AWS_SECRET_ACCESS_KEY"}) {
            assertTrue(error.getMessage().contains(name), name + " in: " + error.getMessage());
        }
    }
}
