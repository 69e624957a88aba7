package com.genplatform.core.error;

import java.util.List;

/**
 * A failure the caller is told about, with its stable code and (for bad input) every field problem.
 * Mapped to an HTTP answer in one place, by the API layer.
 */
public class PlatformException extends RuntimeException {
    private final ErrorCode code;
    private final List<FieldError> details;

    public PlatformException(ErrorCode code, String message, List<FieldError> details) {
        super(message);
        this.code = code;
        this.details = List.copyOf(details);
    }

    public PlatformException(ErrorCode code, String message) {
        this(code, message, List.of());
    }

    public static PlatformException validation(List<FieldError> details) {
        String message = details.size() == 1
                ? "The request has an invalid field: " + details.getFirst().field() + "."
                : "The request has " + details.size() + " invalid fields.";
        return new PlatformException(ErrorCode.VALIDATION_ERROR, message, details);
    }

    public static PlatformException notFound(String what) {
        return new PlatformException(ErrorCode.NOT_FOUND, what + " was not found.");
    }

    public static PlatformException conflict(String message) {
        return new PlatformException(ErrorCode.CONFLICT, message);
    }

    public ErrorCode code() {
        return code;
    }

    public List<FieldError> details() {
        return details;
    }
}
