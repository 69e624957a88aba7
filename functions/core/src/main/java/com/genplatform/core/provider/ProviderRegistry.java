package com.genplatform.core.provider;

import com.genplatform.core.Engine;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.error.PlatformException;
import com.genplatform.core.request.GenerationRequest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured providers by name (the seed's factory), each engine's default provider, and the known
 * providers that are not configured (with the setting they lack), so a request naming one is told what is
 * missing rather than that the name is unknown. Adding a provider is one class plus one {@code register}
 * line where the registry is built.
 */
public final class ProviderRegistry {
    private final Map<String, GenerationProvider> byName = new LinkedHashMap<>();
    private final Map<String, String> missingKeys = new LinkedHashMap<>();
    private final Map<Engine, String> defaults = new EnumMap<>(Engine.class);

    public ProviderRegistry register(GenerationProvider provider) {
        byName.put(provider.name(), provider);
        missingKeys.remove(provider.name());
        return this;
    }

    /**
     * Registers {@code provider} when it is configured; otherwise remembers {@code name} as a provider whose
     * {@code keySetting} is not set.
     */
    public ProviderRegistry register(String name, String keySetting, Optional<? extends GenerationProvider> provider) {
        provider.ifPresentOrElse(this::register, () -> missingKeys.put(name, keySetting));
        return this;
    }

    /**
     * Makes {@code providerName} the engine's default. It is checked when a request needs it, not here: a
     * default without a key fails those requests with a 400 naming it, never a function's start.
     */
    public ProviderRegistry defaultFor(Engine engine, String providerName) {
        defaults.put(engine, providerName);
        return this;
    }

    public Optional<GenerationProvider> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<GenerationProvider> all() {
        return List.copyOf(byName.values());
    }

    /** Why {@code name} cannot be used here, for messages: its key is not set, or it is no provider at all. */
    public String whyUnavailable(String name) {
        String key = missingKeys.get(name);
        return key != null
                ? "provider \"" + name + "\" is not configured (" + key + " is not set)"
                : "unknown provider \"" + name + "\"";
    }

    /**
     * The provider that serves {@code request}: the one it names, or the engine's default; one that is not
     * configured, or cannot serve the engine or the request, is a 400 naming the field.
     */
    public GenerationProvider resolve(GenerationRequest request) {
        Engine engine = request.engine();
        boolean named = request.provider() != null;
        String name = named ? request.provider() : defaults.get(engine);
        GenerationProvider provider = name == null ? null : byName.get(name);
        List<FieldError> problems = new ArrayList<>();
        if (name == null) {
            problems.add(new FieldError("provider", "no provider is configured for " + engine.wireName() + "; name one"));
        } else if (provider == null) {
            String why = named ? whyUnavailable(name) : "the default " + engine.wireName() + " "
                    + (missingKeys.containsKey(name) ? whyUnavailable(name) : "provider \"" + name + "\" is unknown");
            problems.add(new FieldError("provider", why + "; configured: " + String.join(", ", byName.keySet())));
        } else if (!provider.engines().contains(engine)) {
            problems.add(new FieldError("provider", (named ? "" : "the default " + engine.wireName() + " provider, ")
                    + name + " does not serve the " + engine.wireName() + " engine"));
        } else {
            problems.addAll(provider.unsupported(request));
        }
        if (!problems.isEmpty()) {
            throw PlatformException.validation(problems);
        }
        return provider;
    }
}
