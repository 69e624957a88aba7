package com.genplatform.core.port;

import java.time.Duration;

/** Keys of work already done (webhook delivery ids, ...), each forgotten after its time to live. */
public interface IdempotencyStore {

    boolean contains(String key);

    void remember(String key, Duration timeToLive);
}
