package com.genplatform.core.error;

/** One problem with one field of a request: {@code {"field": "size", "message": "..."}}. */
public record FieldError(String field, String message) {}
