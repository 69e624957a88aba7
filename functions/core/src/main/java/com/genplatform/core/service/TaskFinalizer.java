package com.genplatform.core.service;

import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.TaskOutput;
import com.genplatform.core.TaskUpdates;
import com.genplatform.core.port.ContentStore;
import com.genplatform.core.port.StoredObject;
import com.genplatform.core.port.TaskStore;
import com.genplatform.core.provider.GeneratedOutput;
import com.genplatform.core.provider.ProviderAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves a task to where its provider's answer says, the same way for the worker's sync and poll paths and
 * for webhooks. Outputs go to the content store first, under keys fixed by task and index, so a repeated
 * answer overwrites rather than adds; the task then succeeds in one conditional write, at most once.
 */
public final class TaskFinalizer {
    private final TaskUpdates updates;
    private final TaskStore store;
    private final ContentStore content;
    private final Clock clock;

    public TaskFinalizer(TaskStore store, ContentStore content, Clock clock) {
        this.store = store;
        this.updates = new TaskUpdates(store);
        this.content = content;
        this.clock = clock;
    }

    /** Applies a provider's answer to the task; returns the task as stored afterwards. */
    public Task apply(Task task, ProviderAnswer answer) {
        return switch (answer) {
            case ProviderAnswer.Done done -> complete(task, done.outputs());
            case ProviderAnswer.Failed failed -> change(task, t -> t.fail(failed.error(), clock.instant()));
            case ProviderAnswer.Canceled ignored -> change(task, t -> t.cancel(clock.instant()));
            // The failed provider task is dropped, so the task is claimable for a new attempt.
            case ProviderAnswer.Retry retry -> change(task, t -> t.retryLater(retry.error(), clock.instant()));
            case ProviderAnswer.Running running -> running.progress() == null ? task
                    : change(task, t -> t.withProgress(running.progress(), clock.instant()));
            case ProviderAnswer.Accepted accepted -> change(task, t -> t.withProviderTask(accepted.providerTaskId(), clock.instant()));
        };
    }

    private Task complete(Task task, List<GeneratedOutput> generated) {
        Task current = store.find(task.id()).orElse(task);
        if (current.isTerminal()) {
            return current; // a repeated or late answer: the outputs were stored (or the task ended) already
        }
        List<TaskOutput> outputs = new ArrayList<>();
        for (int index = 0; index < generated.size(); index++) {
            GeneratedOutput output = generated.get(index);
            String key = ContentStore.resultKey(task.userId(), task.id(), index, output.extension());
            StoredObject stored;
            try (InputStream in = output.source().open()) {
                stored = content.put(key, output.contentType(), in);
            } catch (IOException e) {
                throw new UncheckedIOException("fetching output " + index + " of task " + task.id() + " failed", e);
            }
            outputs.add(new TaskOutput(index, key, stored.contentType(), stored.bytes(), stored.sha256(),
                    output.width(), output.height(), output.durationSeconds()));
        }
        if (outputs.isEmpty()) {
            return change(task, t -> t.fail(new TaskError(TaskError.PROVIDER_ERROR, "The provider finished without any output."), clock.instant()));
        }
        return change(task, t -> t.succeed(outputs, clock.instant()));
    }

    /** Applies {@code change} unless the task has ended meanwhile (a terminal state never moves). */
    private Task change(Task task, java.util.function.UnaryOperator<Task> change) {
        return updates.apply(task.id(), t -> t.isTerminal() ? t : change.apply(t)).task();
    }
}
