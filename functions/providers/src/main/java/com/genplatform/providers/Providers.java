package com.genplatform.providers;

import com.genplatform.core.Engine;
import com.genplatform.core.provider.ProviderRegistry;
import com.genplatform.providers.elevenlabs.ElevenLabsProvider;
import com.genplatform.providers.local.LocalProvider;
import com.genplatform.providers.openai.OpenAiProvider;
import com.genplatform.providers.replicate.ReplicateProvider;
import com.genplatform.providers.runway.RunwayProvider;
import com.genplatform.providers.stability.StabilityProvider;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the provider registry from a function's environment. The {@code local} provider is always
 * there; each other provider is there when its key is configured. To add a provider: write one class that
 * implements {@code GenerationProvider} with a {@code fromEnvironment}, and add its one line here, the
 * seed's factory entry:
 * <pre>{@code
 *   AcmeProvider.fromEnvironment(env).ifPresent(registry::register);
 * }</pre>
 * Each engine's default is {@code DEFAULT_PROVIDER_<ENGINE>} (e.g. {@code DEFAULT_PROVIDER_IMAGE=replicate}),
 * else {@code local}.
 */
public final class Providers {
    private Providers() {}

    public static ProviderRegistry fromEnvironment(Map<String, String> env) {
        var registry = new ProviderRegistry();
        registry.register(LocalProvider.fromEnvironment(env));
        ReplicateProvider.fromEnvironment(env).ifPresent(registry::register);
        OpenAiProvider.fromEnvironment(env).ifPresent(registry::register);
        RunwayProvider.fromEnvironment(env).ifPresent(registry::register);
        StabilityProvider.fromEnvironment(env).ifPresent(registry::register);
        ElevenLabsProvider.fromEnvironment(env).ifPresent(registry::register);
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
