package com.genplatform.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.core.port.TaskMessage;
import com.genplatform.core.request.GenerationRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private static Task pending() {
        var request = GenerationRequest.parse(Engine.PROMPT, Json.MAPPER.createObjectNode().put("prompt", "a castle"));
        return Task.create("t1", "u1", request, "local", "echo", T0);
    }

    @Test
    void lifeCycleToSuccess() {
        Task task = pending();
        assertEquals(TaskStatus.PENDING, task.status());
        assertEquals(1, task.version());

        Task started = task.startAttempt(T0.plusSeconds(1));
        assertEquals(TaskStatus.PROCESSING, started.status());
        assertEquals(1, started.attempts());
        assertEquals(2, started.version());

        Task accepted = started.withProviderTask("p-9", T0.plusSeconds(2)).withProgress(140, T0.plusSeconds(3));
        assertEquals(100, accepted.progress());
        var output = new TaskOutput(0, "results/u1/t1/0.txt", "text/plain", 5, "ab", null, null, null);
        Task done = accepted.succeed(List.of(output), T0.plusSeconds(4));
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        assertEquals(List.of(output), done.outputs());
        assertEquals(T0.plusSeconds(1), done.startedAt());
        assertEquals(T0.plusSeconds(4), done.completedAt());
        assertEquals("p-9", done.providerTaskId());
        assertEquals(5, done.version());
    }

    @Test
    void terminalStatesAreFinal() {
        Task canceled = pending().cancel(T0);
        assertEquals(TaskError.CANCELED, canceled.error().code());
        assertThrows(IllegalStateException.class, () -> canceled.startAttempt(T0));
        assertThrows(IllegalStateException.class, () -> canceled.succeed(List.of(), T0));
        assertThrows(IllegalStateException.class, () -> canceled.fail(new TaskError("x", "y"), T0));

        Task failed = pending().startAttempt(T0).fail(new TaskError(TaskError.PROVIDER_ERROR, "down"), T0);
        assertThrows(IllegalStateException.class, () -> failed.cancel(T0));
        for (TaskStatus terminal : List.of(TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.CANCELED)) {
            for (TaskStatus any : TaskStatus.values()) {
                assertTrue(!terminal.canMoveTo(any), terminal + " -> " + any);
            }
        }
    }

    @Test
    void aRetriedAttemptClearsTheOldProviderTask() {
        Task retried = pending().startAttempt(T0).withProviderTask("p-1", T0).startAttempt(T0.plusSeconds(60));
        assertEquals(2, retried.attempts());
        assertNull(retried.providerTaskId());
        assertEquals(T0, retried.startedAt());
    }

    @Test
    void taskMessagesRoundTrip() {
        TaskMessage message = TaskMessage.check("t1", Engine.VIDEO, 3);
        assertEquals("{\"task_id\":\"t1\",\"engine\":\"video\",\"action\":\"check\",\"check\":3}", message.toJson());
        assertEquals(message, TaskMessage.fromJson(message.toJson()));
        assertThrows(IllegalArgumentException.class, () -> TaskMessage.fromJson("{\"hello\": 1}"));
        assertThrows(IllegalArgumentException.class, () -> TaskMessage.fromJson("not json"));
    }
}
