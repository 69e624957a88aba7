package com.genplatform.core.provider;

import java.time.Duration;

/**
 * A provider call that failed. Retryable failures (429, 5xx, timeouts, connection resets) return the task
 * to its queue; final ones (validation, auth, content policy) fail the task with the provider's message.
 */
public class ProviderException extends RuntimeException {
    private final boolean retryable;
    private final String code;
    private final Duration retryAfter;

    public ProviderException(boolean retryable, String code, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public static ProviderException retryable(String message, Duration retryAfter) {
        return new ProviderException(true, com.genplatform.core.TaskError.PROVIDER_ERROR, message, retryAfter, null);
    }

    public static ProviderException fatal(String code, String message) {
        return new ProviderException(false, code, message, null, null);
    }

    public boolean retryable() {
        return retryable;
    }

    public String code() {
        return code;
    }

    /** How long the provider asked us to wait (Retry-After), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
