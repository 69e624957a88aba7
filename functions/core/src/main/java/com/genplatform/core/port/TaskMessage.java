package com.genplatform.core.port;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;

/**
 * What the engine queues carry: {@code {"task_id": "...", "engine": "image", "action": "run", "check": 0}}.
 * {@code run} starts the task at its provider; {@code check} asks the provider again (polling, or the
 * safety net for a webhook that never came), {@code check} counting how many checks came before.
 */
public record TaskMessage(String taskId, Engine engine, Action action, int check) {

    public enum Action {
        RUN, CHECK;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static TaskMessage run(String taskId, Engine engine) {
        return new TaskMessage(taskId, engine, Action.RUN, 0);
    }

    public static TaskMessage check(String taskId, Engine engine, int check) {
        return new TaskMessage(taskId, engine, Action.CHECK, check);
    }

    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a message body; throws IllegalArgumentException for anything that is not one of ours. */
    public static TaskMessage fromJson(String body) {
        try {
            TaskMessage message = Json.MAPPER.readValue(body, TaskMessage.class);
            if (message.taskId() == null || message.engine() == null || message.action() == null) {
                throw new IllegalArgumentException("not a task message: " + abbreviate(body));
            }
            return message;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a task message: " + abbreviate(body), e);
        }
    }

    private static String abbreviate(String body) {
        return body == null || body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }
}
