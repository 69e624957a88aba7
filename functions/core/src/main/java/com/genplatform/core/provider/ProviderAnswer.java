package com.genplatform.core.provider;

import com.genplatform.core.TaskError;
import java.time.Duration;
import java.util.List;

/** What a provider says about a task: the three ways of answering a start, and the states of a check. */
public sealed interface ProviderAnswer {

    /** Finished: the outputs, still to be copied into the content store. */
    record Done(List<GeneratedOutput> outputs) implements ProviderAnswer {}

    /** Accepted under the provider's id; {@code callback} says whether a webhook will come or we must ask. */
    record Accepted(String providerTaskId, Callback callback, Duration checkAfter) implements ProviderAnswer {}

    /** Still working (a check found it unfinished), with progress 0..100 when known. */
    record Running(Integer progress) implements ProviderAnswer {}

    /** Failed for good at the provider (content policy, bad input): the task fails with this error. */
    record Failed(TaskError error) implements ProviderAnswer {}

    /**
     * This provider task failed, but a new one may succeed (Runway's {@code INTERNAL.BAD_OUTPUT}): polling it
     * again cannot help, so the task is started again at the provider, within the attempts cap.
     */
    record Retry(TaskError error) implements ProviderAnswer {}

    /** The provider reports the task canceled. */
    record Canceled() implements ProviderAnswer {}

    enum Callback { WEBHOOK, POLL }
}
