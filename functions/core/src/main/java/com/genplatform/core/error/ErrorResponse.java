package com.genplatform.core.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The one error shape of the API:
 * {@code {"error": {"code": "validation_error", "message": "...", "details": [...], "request_id": "..."}}}.
 */
public record ErrorResponse(Body error) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(ErrorCode code, String message, List<FieldError> details, String requestId) {}

    public static ErrorResponse of(PlatformException e, String requestId) {
        return new ErrorResponse(new Body(e.code(), e.getMessage(), e.details(), requestId));
    }

    public static ErrorResponse of(ErrorCode code, String message, String requestId) {
        return new ErrorResponse(new Body(code, message, List.of(), requestId));
    }
}
