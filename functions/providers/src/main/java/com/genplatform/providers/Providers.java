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
 * Builds the provider registry from a function's environment (provider keys included). The {@code local}
 * provider is always there; each other provider is there when its key is set, and otherwise known by name
 * with the key it lacks. To add a provider: write one class that implements {@code GenerationProvider} with
 * a {@code fromEnvironment}, and add its one line here, the seed's factory entry:
 * <pre>{@code
 *   registry.register(AcmeProvider.NAME, "ACME_API_KEY", AcmeProvider.fromEnvironment(env));
 * }</pre>
 * Each engine's default is {@code DEFAULT_PROVIDER_<ENGINE>} (e.g. {@code DEFAULT_PROVIDER_IMAGE=replicate}),
 * else {@code local}; it is checked when a request needs it, so building the registry never fails on it.
 */
public final class Providers {
    private Providers() {}

    public static ProviderRegistry fromEnvironment(Map<String, String> env) {
        var registry = new ProviderRegistry();
        registry.register(LocalProvider.fromEnvironment(env));
        registry.register(ReplicateProvider.NAME, "REPLICATE_API_TOKEN", ReplicateProvider.fromEnvironment(env));
        registry.register(OpenAiProvider.NAME, "OPENAI_API_KEY", OpenAiProvider.fromEnvironment(env));
        registry.register(RunwayProvider.NAME, "RUNWAY_API_KEY", RunwayProvider.fromEnvironment(env));
        registry.register(StabilityProvider.NAME, "STABILITY_API_KEY", StabilityProvider.fromEnvironment(env));
        registry.register(ElevenLabsProvider.NAME, "ELEVENLABS_API_KEY", ElevenLabsProvider.fromEnvironment(env));
        for (Engine engine : Engine.values()) {
            String name = env.getOrDefault("DEFAULT_PROVIDER_" + engine.name(), "");
            registry.defaultFor(engine, name.isBlank() ? LocalProvider.NAME : name.strip().toLowerCase(Locale.ROOT));
        }
        return registry;
    }
}
