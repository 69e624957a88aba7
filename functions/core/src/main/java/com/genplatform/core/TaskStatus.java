package com.genplatform.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** pending → processing → succeeded | failed | canceled; the last three are final. */
public enum TaskStatus {
    PENDING, PROCESSING, SUCCEEDED, FAILED, CANCELED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }

    /** Whether a task in this state may move to {@code next}. Processing → processing is a new attempt. */
    public boolean canMoveTo(TaskStatus next) {
        return switch (this) {
            case PENDING -> next != PENDING;
            case PROCESSING -> next != PENDING;
            case SUCCEEDED, FAILED, CANCELED -> false;
        };
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TaskStatus> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
    }

    @JsonCreator
    static TaskStatus fromJson(String name) {
        return fromWireName(name).orElseThrow(() -> new IllegalArgumentException("unknown status: " + name));
    }
}
