package com.genplatform.core;

/**
 * Why a task failed or was canceled: a stable code ({@code provider_error}, {@code content_filtered},
 * {@code canceled}, ...) and a message a person can act on.
 */
public record TaskError(String code, String message) {
    public static final String PROVIDER_ERROR = "provider_error";
    public static final String CONTENT_FILTERED = "content_filtered";
    public static final String CANCELED = "canceled";
    /** The task did not finish within its maximum age (or its provider within its processing time). */
    public static final String TIMEOUT = "timeout";
    /** Its attempts kept failing until the cap on attempts ({@code MAX_ATTEMPTS}); it is never run again. */
    public static final String RETRIES_EXHAUSTED = "retries_exhausted";
    /**
     * An attempt failed inside the platform rather than at the provider (storing its outputs, a crash):
     * set while the task waits for its next attempt.
     */
    public static final String WORKER_ERROR = "worker_error";
    /** The task's provider is not configured where the task runs (its key is missing there). */
    public static final String PROVIDER_NOT_CONFIGURED = "provider_not_configured";
}
