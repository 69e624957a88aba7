package com.genplatform.core.port;

import java.time.Duration;

/** Keys of work already done (webhook delivery ids, ...), each forgotten after its time to live. */
public interface IdempotencyStore {

    boolean contains(String key);

    void remember(String key, Duration timeToLive);

    /**
     * Stores {@code value} under {@code key} unless a live value is there already, in one conditional write.
     *
     * @return the value that was there first, or empty when this call stored {@code value}
     */
    java.util.Optional<String> putIfAbsent(String key, String value, Duration timeToLive);

    /**
     * Stores {@code value} under {@code key} in place of {@code expected}, in one conditional write.
     *
     * @return the value there now when it was not {@code expected}, or empty when this call stored {@code value}
     */
    java.util.Optional<String> replace(String key, String expected, String value, Duration timeToLive);
}
