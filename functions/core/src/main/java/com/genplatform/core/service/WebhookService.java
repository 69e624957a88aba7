package com.genplatform.core.service;

import com.genplatform.core.Task;
import com.genplatform.core.error.ErrorCode;
import com.genplatform.core.error.PlatformException;
import com.genplatform.core.port.IdempotencyStore;
import com.genplatform.core.port.TaskStore;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.core.provider.ProviderRegistry;
import com.genplatform.core.provider.WebhookDelivery;
import com.genplatform.core.provider.WebhookEvent;
import com.genplatform.core.provider.WebhookRejectedException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Receives a provider's callback for a task: verify the signature on the raw body first, match the callback
 * to its task, and hand its answer to the finalizer. A delivery already handled (same delivery id, as a
 * provider's retries keep) changes nothing; nor does a late or out-of-order one, since a terminal task never
 * moves.
 */
public final class WebhookService {
    private static final Duration REMEMBER_DELIVERIES = Duration.ofDays(2);

    private final TaskStore store;
    private final Supplier<ProviderRegistry> providers;
    private final TaskFinalizer finalizer;
    private final IdempotencyStore deliveries;

    /** @param providers asked per delivery: their keys load lazily and may rotate */
    public WebhookService(TaskStore store, Supplier<ProviderRegistry> providers, TaskFinalizer finalizer, IdempotencyStore deliveries) {
        this.store = store;
        this.providers = providers;
        this.finalizer = finalizer;
        this.deliveries = deliveries;
    }

    /**
     * @throws WebhookRejectedException when verification fails (answer 401, store nothing)
     * @throws PlatformException        404 for an unknown provider or task; 409 while the task's provider id
     *                                  is not yet recorded (the provider retries later)
     */
    public Task receive(String providerName, String taskId, WebhookDelivery delivery) {
        GenerationProvider provider = providers.get().find(providerName)
                .orElseThrow(() -> PlatformException.notFound("Provider " + providerName));
        WebhookEvent event = provider.verifyWebhook(delivery);
        String deliveryKey = "webhook#" + providerName + "#" + event.deliveryId();
        Task task = (taskId == null ? null : store.find(taskId).orElse(null));
        if (task == null || !task.provider().equals(providerName)) {
            throw PlatformException.notFound("Task " + taskId);
        }
        if (deliveries.contains(deliveryKey) || task.isTerminal()) {
            return task;
        }
        if (task.providerTaskId() == null) {
            throw new PlatformException(ErrorCode.CONFLICT,
                    "Task " + taskId + " is not yet registered with its provider; deliver again later.");
        }
        if (!task.providerTaskId().equals(event.providerTaskId())) {
            // Signed, but for another provider task: a replay against the wrong task id.
            throw new WebhookRejectedException("the callback is for provider task " + event.providerTaskId()
                    + ", not for this task's");
        }
        var answer = event.answer() != null ? event.answer().apply(task) : provider.check(task);
        Task after = finalizer.apply(task, answer);
        deliveries.remember(deliveryKey, REMEMBER_DELIVERIES);
        return after;
    }
}
