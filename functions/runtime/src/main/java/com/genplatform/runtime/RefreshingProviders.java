package com.genplatform.runtime;

import com.genplatform.aws.ProviderKeys;
import com.genplatform.core.error.ErrorCode;
import com.genplatform.core.error.PlatformException;
import com.genplatform.core.provider.ProviderRegistry;
import com.genplatform.providers.Providers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The providers of a function that calls them, built from its environment plus the provider-keys secret.
 * Nothing is read when this is built: the secret is read on the first request that needs a provider (so
 * after a SnapStart restore, never into the snapshot) and again once {@code ttl} has passed, so a rotated
 * key reaches running containers. A failed re-read keeps the providers already built; a failed first read
 * is a 503 for that request only, and the next request tries again.
 */
public final class RefreshingProviders implements Supplier<ProviderRegistry> {
    private static final Logger LOG = Logger.getLogger(RefreshingProviders.class.getName());

    private final Map<String, String> env;
    private final Function<String, String> readSecret;
    private final Duration ttl;
    private final Clock clock;
    private Map<String, String> keys;
    private ProviderRegistry registry;
    private Instant expires = Instant.MIN;

    /** @param readSecret a secret's text by its id (Secrets Manager on AWS) */
    public RefreshingProviders(Map<String, String> env, Function<String, String> readSecret, Duration ttl, Clock clock) {
        this.env = Map.copyOf(env);
        this.readSecret = readSecret;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public synchronized ProviderRegistry get() {
        Instant now = clock.instant();
        if (registry != null && now.isBefore(expires)) return registry;
        Map<String, String> current;
        try {
            current = ProviderKeys.withKeys(env, readSecret);
        } catch (RuntimeException e) {
            // Named by its id only: the exception never carries the secret's values.
            LOG.log(Level.WARNING, "reading the provider keys (" + env.get(ProviderKeys.SECRET_VARIABLE) + ") failed", e);
            if (registry == null) {
                throw new PlatformException(ErrorCode.SERVICE_UNAVAILABLE,
                        "The provider keys could not be read, so no provider can be called right now; try again shortly.");
            }
            expires = now.plus(ttl);
            return registry; // the keys that worked until now beat none
        }
        if (!current.equals(keys)) {
            registry = Providers.fromEnvironment(current); // providers hold their keys: rebuild only on a change
            keys = current;
        }
        expires = now.plus(ttl);
        return registry;
    }
}
