package com.genplatform.core.request;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Width x height in pixels; written as {@code "1024x768"} on the wire. */
public record Size(int width, int height) {
    @JsonValue
    @Override
    public String toString() {
        return width + "x" + height;
    }

    /** Reads a stored size back; callers' sizes are checked by the request parsers instead. */
    @JsonCreator
    static Size fromJson(String text) {
        int x = text.indexOf('x');
        return new Size(Integer.parseInt(text.substring(0, x)), Integer.parseInt(text.substring(x + 1)));
    }
}
