package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.aws.ProviderKeys;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.LocalAwsExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Provider configuration is a concern of the requests that need a provider, never of a function's start:
 * every function of the template starts with a default provider that has no key, or with a provider-keys
 * secret that cannot be read.
 */
@ExtendWith(LocalAwsExtension.class)
class CompositionTest {

    private static void startEveryFunction(LocalStack stack) {
        for (String id : stack.functions().definitions().keySet()) {
            stack.functions().warm(id); // throws when the handler cannot be built
        }
    }

    @Test
    void aDefaultProviderWithoutAKeyIsA400AtSubmitAndEveryFunctionStarts(LocalAws aws) {
        try (var stack = new LocalStack(aws, Map.of("DEFAULT_PROVIDER_IMAGE", "openai"))) {
            startEveryFunction(stack);
            var client = new Client(stack.router());
            String key = stack.issueApiKey("u-" + UUID.randomUUID());

            var answer = client.call("POST", "/api/v3/generate/image", "{\"prompt\": \"p\"}", key);
            assertEquals(400, answer.status(), String.valueOf(answer.json()));
            String message = answer.json().at("/error/details/0/message").asText();
            assertTrue(message.contains("\"openai\" is not configured (OPENAI_API_KEY is not set)"), message);

            var local = client.call("POST", "/api/v3/generate/image", "{\"prompt\": \"p\", \"provider\": \"local\"}", key);
            assertEquals(202, local.status(), String.valueOf(local.json()));
            stack.drainQueues(Duration.ofMillis(300));
            var task = client.call("GET", "/api/v3/tasks/" + local.json().get("id").asText(), null, key);
            assertEquals("succeeded", task.json().get("status").asText(), "the worker runs tasks of configured providers");
        }
    }

    @Test
    void anUnreadableSecretLeavesTheAuthorizerAndTheReadRoutesWorking(LocalAws aws) throws IOException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        try (var stack = new LocalStack(aws, Map.of(ProviderKeys.SECRET_VARIABLE, "generation-platform/provider-keys",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:" + port))) {
            startEveryFunction(stack);
            var client = new Client(stack.router());
            String key = stack.issueApiKey("u-" + UUID.randomUUID());

            assertEquals(404, client.call("GET", "/api/v3/tasks/no-such-task", null, key).status(), "authorized, then not found");
            assertEquals(200, client.call("GET", "/api/v3/tasks", null, key).status());
            var health = client.call("GET", "/api/v3/health", null, null);
            assertEquals("unavailable", health.json().at("/dependencies/providers").asText(), String.valueOf(health.json()));
            var submitted = client.call("POST", "/api/v3/generate/prompt", "{\"prompt\": \"p\"}", key);
            assertEquals(503, submitted.status(), String.valueOf(submitted.json()));
        }
    }
}
