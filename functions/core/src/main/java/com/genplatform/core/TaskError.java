package com.genplatform.core;

/**
 * Why a task failed or was canceled: a stable code ({@code provider_error}, {@code content_filtered},
 * {@code canceled}, ...) and a message a person can act on.
 */
public record TaskError(String code, String message) {
    public static final String PROVIDER_ERROR = "provider_error";
    public static final String CONTENT_FILTERED = "content_filtered";
    public static final String CANCELED = "canceled";
    public static final String TIMEOUT = "timeout";
    /** The task's provider is not configured where the task runs (its key is missing there). */
    public static final String PROVIDER_NOT_CONFIGURED = "provider_not_configured";
}
