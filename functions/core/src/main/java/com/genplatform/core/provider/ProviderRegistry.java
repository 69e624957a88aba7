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
 * The configured providers by name (the seed's factory), and each engine's default provider. Adding a
 * provider is one class plus one {@code register} line where the registry is built.
 */
public final class ProviderRegistry {
    private final Map<String, GenerationProvider> byName = new LinkedHashMap<>();
    private final Map<Engine, String> defaults = new EnumMap<>(Engine.class);

    public ProviderRegistry register(GenerationProvider provider) {
        byName.put(provider.name(), provider);
        return this;
    }

    public ProviderRegistry defaultFor(Engine engine, String providerName) {
        if (!byName.containsKey(providerName) || !byName.get(providerName).engines().contains(engine)) {
            throw new IllegalArgumentException(providerName + " cannot be the default " + engine.wireName() + " provider");
        }
        defaults.put(engine, providerName);
        return this;
    }

    public Optional<GenerationProvider> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public GenerationProvider get(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("provider " + name + " is not configured"));
    }

    public List<GenerationProvider> all() {
        return List.copyOf(byName.values());
    }

    /**
     * The provider that serves {@code request}: the one it names, or the engine's default; a named
     * provider that is unknown, or cannot serve the engine or the request, is a 400 naming the field.
     */
    public GenerationProvider resolve(GenerationRequest request) {
        Engine engine = request.engine();
        String name = request.provider() != null ? request.provider() : defaults.get(engine);
        GenerationProvider provider = name == null ? null : byName.get(name);
        List<FieldError> problems = new ArrayList<>();
        if (provider == null) {
            problems.add(new FieldError("provider", request.provider() == null
                    ? "no provider is configured for " + engine.wireName() + "; name one"
                    : "unknown provider \"" + name + "\"; configured: " + String.join(", ", byName.keySet())));
        } else if (!provider.engines().contains(engine)) {
            problems.add(new FieldError("provider", name + " does not serve the " + engine.wireName() + " engine"));
        } else {
            problems.addAll(provider.unsupported(request));
        }
        if (!problems.isEmpty()) {
            throw PlatformException.validation(problems);
        }
        return provider;
    }
}
