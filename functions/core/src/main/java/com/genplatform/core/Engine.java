package com.genplatform.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The four generation engines; each has its own queue and worker. */
public enum Engine {
    IMAGE, VIDEO, AUDIO, PROMPT;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The engine with this wire name (as in {@code /generate/{engine}}), if any. */
    public static Optional<Engine> fromWireName(String name) {
        return Arrays.stream(values()).filter(e -> e.wireName().equals(name)).findFirst();
    }

    @JsonCreator
    static Engine fromJson(String name) {
        return fromWireName(name).orElseThrow(() -> new IllegalArgumentException("unknown engine: " + name));
    }
}
