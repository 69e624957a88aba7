package com.genplatform.core.provider;

import com.genplatform.core.Engine;
import com.genplatform.core.Task;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.request.GenerationRequest;
import java.util.List;
import java.util.Set;

/**
 * One provider of generated content (the seed's provider pattern). A provider answers a started task in
 * one of three ways ({@link ProviderAnswer}): done at once ({@code sync}), accepted with a callback to
 * come ({@code webhook}), or accepted to be asked again later ({@code poll}). Provider-specific wire
 * formats stay inside the implementing class; failures are {@link ProviderException}s marked retryable
 * or final.
 */
public interface GenerationProvider {

    /** The name callers use in {@code "provider": "..."} and webhook paths use in {@code /webhooks/{name}}. */
    String name();

    Set<Engine> engines();

    /** The model used when a request of this engine names none. */
    String defaultModel(Engine engine);

    /** The model used when this request names none (some providers choose by what the request asks for). */
    default String defaultModel(GenerationRequest request) {
        return defaultModel(request.engine());
    }

    /**
     * What this provider cannot do with {@code request} (a size it does not support, a format it does
     * not produce), as field problems so the caller gets a 400 at submit time instead of a failed task.
     */
    default List<FieldError> unsupported(GenerationRequest request) {
        return List.of();
    }

    /** Starts {@code task} at the provider. {@code callbackUrl} is where a webhook provider should call back. */
    ProviderAnswer start(Task task, String callbackUrl);

    /** Asks the provider about a task it accepted earlier (polling, or the safety net for a lost webhook). */
    ProviderAnswer check(Task task);

    /** Stops the task at the provider, so canceled work is not billed. */
    void cancel(Task task);

    /**
     * Verifies a webhook delivery on its raw body (never a re-serialised one) and reads it.
     *
     * @throws WebhookRejectedException when the signature, timestamp or body is not acceptable
     */
    default WebhookEvent verifyWebhook(WebhookDelivery delivery) {
        throw new WebhookRejectedException(name() + " does not send webhooks");
    }
}
