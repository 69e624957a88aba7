package com.genplatform.providers;

import com.genplatform.core.Engine;
import com.genplatform.core.provider.ProviderRegistry;
import com.genplatform.providers.local.LocalProvider;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the provider registry from a function's environment. To add a provider: write one class that
 * implements {@code GenerationProvider}, and register it here, the seed's one-line factory entry:
 * <pre>{@code
 *   registry.register(new StabilityProvider(...));
 * }</pre>
 * Each engine's default is {@code DEFAULT_PROVIDER_<ENGINE>} (e.g. {@code DEFAULT_PROVIDER_IMAGE=replicate}),
 * else {@code local}.
 */
public final class Providers {
    private Providers() {}

    public static ProviderRegistry fromEnvironment(Map<String, String> env) {
        var registry = new ProviderRegistry();
        registry.register(LocalProvider.fromEnvironment(env));
        for (Engine engine : Engine.values()) {
            String variable = "DEFAULT_PROVIDER_" + engine.name();
            String name = env.getOrDefault(variable, LocalProvider.NAME).strip().toLowerCase(Locale.ROOT);
            try {
                registry.defaultFor(engine, name);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(variable + ": " + e.getMessage(), e);
            }
        }
        return registry;
    }
}
