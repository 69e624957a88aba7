package com.genplatform.core.provider;

import com.genplatform.core.Task;
import com.genplatform.core.TaskError;

/** A provider that always answers a start with its outputs: nothing runs on afterwards to check or cancel. */
public interface SynchronousProvider extends GenerationProvider {

    @Override
    default ProviderAnswer check(Task task) {
        throw ProviderException.fatal(TaskError.PROVIDER_ERROR, name() + " answers at once; there is no task to check");
    }

    @Override
    default void cancel(Task task) {
        // a synchronous call cannot be stopped once sent, and nothing stays running at the provider
    }
}
