package com.genplatform.core.provider;

/**
 * A verified webhook: which delivery it is ({@code deliveryId}, the same on the provider's retries), which
 * provider task it is about, and what it says; a null {@code answer} means "something changed, ask me"
 * (the receiver then checks the task at the provider).
 */
public record WebhookEvent(String deliveryId, String providerTaskId, ProviderAnswer answer) {}
