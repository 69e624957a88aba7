package com.genplatform.core.provider;

import com.genplatform.core.Task;
import java.util.function.Function;

/**
 * A verified webhook: which delivery it is ({@code deliveryId}, the same on the provider's retries), which
 * provider task it is about, and what it says about that task ({@code answer}, given the task it belongs
 * to). A null {@code answer} means "something changed, ask me": the receiver checks the task at the provider.
 */
public record WebhookEvent(String deliveryId, String providerTaskId, Function<Task, ProviderAnswer> answer) {}
