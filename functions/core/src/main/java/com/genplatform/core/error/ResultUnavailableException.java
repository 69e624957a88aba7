package com.genplatform.core.error;

import com.genplatform.core.Task;
import com.genplatform.core.TaskStatus;

/** A result asked for that does not exist: the task is not finished yet, failed, or was canceled. */
public class ResultUnavailableException extends PlatformException {
    private final transient Task task;

    public ResultUnavailableException(Task task) {
        super(codeFor(task.status()), messageFor(task));
        this.task = task;
    }

    public Task task() {
        return task;
    }

    private static ErrorCode codeFor(TaskStatus status) {
        return switch (status) {
            case FAILED -> ErrorCode.TASK_FAILED;
            case CANCELED -> ErrorCode.TASK_CANCELED;
            default -> ErrorCode.TASK_NOT_FINISHED;
        };
    }

    private static String messageFor(Task task) {
        return switch (task.status()) {
            case FAILED -> "Task " + task.id() + " failed: " + task.error().message();
            case CANCELED -> "Task " + task.id() + " was canceled; it has no result.";
            default -> "Task " + task.id() + " is " + task.status().wireName() + "; its result is not ready yet.";
        };
    }
}
