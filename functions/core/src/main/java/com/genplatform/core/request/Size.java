package com.genplatform.core.request;

import com.fasterxml.jackson.annotation.JsonValue;

/** Width x height in pixels; written as {@code "1024x768"} on the wire. */
public record Size(int width, int height) {
    @JsonValue
    @Override
    public String toString() {
        return width + "x" + height;
    }
}
