package com.genplatform.providers.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.provider.WebhookRejectedException;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.providers.Providers;
import com.genplatform.testsupport.SamTemplate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The development secret is public: it signs local webhooks only where the local stack sets it. */
class LocalWebhookSecretTest {

    private static Task waiting() throws Exception {
        var request = GenerationRequest.parse(Engine.IMAGE, Json.MAPPER.readTree("{\"prompt\": \"a lighthouse\"}"));
        return Task.create("task-1", "user-1", request, LocalProvider.NAME, "flux", Instant.now())
                .startAttempt(Instant.now()).withProviderTask("local-task-1", Instant.now());
    }

    @Test
    void onAwsAWebhookSignedWithTheDevelopmentSecretIsRejected() throws Exception {
        // The WebhookFunction's environment as template.yaml gives it on AWS: no LOCAL_WEBHOOK_SECRET.
        Map<String, String> env = SamTemplate.locate().environment("WebhookFunction", value -> String.valueOf(value));
        var forged = new LocalProvider(LocalProvider.Mode.WEBHOOK, LocalProvider.DEVELOPMENT_WEBHOOK_SECRET,
                Duration.ZERO, Clock.systemUTC()).callback(waiting());
        var local = Providers.fromEnvironment(env).find(LocalProvider.NAME).orElseThrow();
        assertThrows(WebhookRejectedException.class, () -> local.verifyWebhook(forged));
    }

    @Test
    void theLocalStacksSecretStillVerifies() throws Exception {
        var env = Map.of("LOCAL_WEBHOOK_SECRET", LocalProvider.DEVELOPMENT_WEBHOOK_SECRET);
        var local = LocalProvider.fromEnvironment(env);
        assertEquals("local-task-1", local.verifyWebhook(local.callback(waiting())).providerTaskId());
    }

    @Test
    void webhookModeNeedsASecret() {
        assertThrows(IllegalStateException.class, () -> LocalProvider.fromEnvironment(Map.of("LOCAL_PROVIDER_MODE", "webhook")));
    }
}
