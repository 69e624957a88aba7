package com.genplatform.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.core.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Provider keys on AWS: one Secrets Manager secret (named by {@code PROVIDER_KEYS_SECRET}) holding a JSON
 * object such as {@code {"REPLICATE_API_TOKEN": "r8_...", "OPENAI_API_KEY": "sk-..."}}, merged under the
 * environment (a variable already set wins, as locally). Only the functions that call providers read it,
 * on first use and again after a TTL (see the runtime's RefreshingProviders). Values are never logged, and
 * never placed in the template.
 */
public final class ProviderKeys {
    public static final String SECRET_VARIABLE = "PROVIDER_KEYS_SECRET";

    private ProviderKeys() {}

    /** The environment with the secret's keys added; unchanged when no secret is configured. */
    public static Map<String, String> withKeys(Map<String, String> env, Function<String, String> readSecret) {
        String secretId = env.get(SECRET_VARIABLE);
        if (secretId == null || secretId.isBlank()) return env;
        String text = readSecret.apply(secretId.strip());
        JsonNode keys;
        try {
            keys = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("the secret " + secretId + " must hold a JSON object of provider keys");
        }
        if (keys == null || !keys.isObject()) {
            throw new IllegalStateException("the secret " + secretId + " must hold a JSON object of provider keys");
        }
        Map<String, String> merged = new LinkedHashMap<>();
        keys.properties().forEach(e -> merged.put(e.getKey(), e.getValue().asText()));
        merged.putAll(env);
        return merged;
    }

    /** Reads a secret's string through Secrets Manager. */
    public static Function<String, String> secretsManager(AwsClients clients) {
        return id -> clients.secretsManager().getSecretValue(b -> b.secretId(id)).secretString();
    }
}
