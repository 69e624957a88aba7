package com.genplatform.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.core.Engine;
import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.TaskOutput;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.service.TaskResult;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What callers see of a task and of its result (snake_case JSON; nulls left out). */
record TaskView(
        String id,
        Engine engine,
        TaskStatus status,
        String provider,
        String model,
        Integer progress,
        int attempts,
        TaskError error,
        ObjectNode request,
        List<TaskOutput> outputs,
        String providerTaskId,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Instant updatedAt,
        Map<String, String> links) {

    static TaskView of(Task task) {
        String self = ApiHandler.BASE_PATH + "/tasks/" + task.id();
        return new TaskView(task.id(), task.engine(), task.status(), task.provider(), task.model(), task.progress(),
                task.attempts(), task.error(), task.request().toJson(), task.outputs(), task.providerTaskId(),
                task.createdAt(), task.startedAt(), task.completedAt(), task.updatedAt(),
                Map.of("self", self, "result", self + "/result", "cancel", self + "/cancel"));
    }

    /** A succeeded task's result; {@code url}, {@code width} and {@code height} repeat the first output, as the seed's result did. */
    record Result(String id, Engine engine, TaskStatus status, URI url, Integer width, Integer height,
                  List<File> outputs, Instant expiresAt, ObjectNode request) {

        record File(int index, URI url, String contentType, long bytes, String sha256, Integer width, Integer height,
                    Double durationSeconds) {}

        static Result of(TaskResult result) {
            var files = result.files().stream().map(f -> new File(f.output().index(), f.url(), f.output().contentType(),
                    f.output().bytes(), f.output().sha256(), f.output().width(), f.output().height(),
                    f.output().durationSeconds())).toList();
            File first = files.getFirst();
            Task task = result.task();
            return new Result(task.id(), task.engine(), task.status(), first.url(), first.width(), first.height(), files,
                    result.urlsExpireAt(), task.request().toJson());
        }
    }
}
