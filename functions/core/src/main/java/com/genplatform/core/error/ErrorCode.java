package com.genplatform.core.error;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The stable error codes of the API, each with the HTTP status it is answered with. */
public enum ErrorCode {
    VALIDATION_ERROR(400),
    BAD_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    /** The task's result was asked for before the task finished. */
    TASK_NOT_FINISHED(409),
    /** The task's result was asked for, but the task failed or was canceled. */
    TASK_FAILED(409),
    TASK_CANCELED(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    RATE_LIMITED(429),
    INTERNAL_ERROR(500),
    PROVIDER_ERROR(502),
    SERVICE_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
