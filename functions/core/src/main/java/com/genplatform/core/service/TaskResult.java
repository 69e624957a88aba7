package com.genplatform.core.service;

import com.genplatform.core.Task;
import com.genplatform.core.TaskOutput;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/** A succeeded task's outputs, each with a signed URL that works until {@code urlsExpireAt}. */
public record TaskResult(Task task, List<File> files, Instant urlsExpireAt) {
    public record File(TaskOutput output, URI url) {}
}
