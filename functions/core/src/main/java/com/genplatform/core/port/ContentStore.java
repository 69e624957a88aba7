package com.genplatform.core.port;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Where results are kept: private objects, handed to callers through short-lived signed URLs. */
public interface ContentStore {

    /**
     * Streams {@code content} into {@code key} (in parts when it is large, so no whole video sits in
     * memory) and returns what was stored, with its size and SHA-256.
     */
    StoredObject put(String key, String contentType, InputStream content);

    Optional<StoredObject> head(String key);

    /** A URL that lets anyone holding it GET the object until {@code expiry} has passed. */
    URI presignedGet(String key, Duration expiry);

    /** The key of a task's {@code index}-th output: {@code results/{user}/{task}/{index}.{extension}}. */
    static String resultKey(String userId, String taskId, int index, String extension) {
        return "results/" + userId + "/" + taskId + "/" + index + "." + extension;
    }
}
