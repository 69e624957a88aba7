package com.genplatform.core.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.genplatform.core.TaskError;
import com.genplatform.core.TaskStatus;
import java.util.List;

/**
 * The one error shape of the API:
 * {@code {"error": {"code": "validation_error", "message": "...", "details": [...], "request_id": "..."}}}.
 */
public record ErrorResponse(Body error) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(ErrorCode code, String message, List<FieldError> details, String requestId,
                       TaskStatus status, TaskError taskError) {}

    public static ErrorResponse of(PlatformException e, String requestId) {
        if (e instanceof ResultUnavailableException unavailable) {
            return new ErrorResponse(new Body(e.code(), e.getMessage(), e.details(), requestId,
                    unavailable.task().status(), unavailable.task().error()));
        }
        return new ErrorResponse(new Body(e.code(), e.getMessage(), e.details(), requestId, null, null));
    }

    public static ErrorResponse of(ErrorCode code, String message, String requestId) {
        return new ErrorResponse(new Body(code, message, List.of(), requestId, null, null));
    }
}
