package com.genplatform.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderKeysTest {

    @Test
    void addsTheSecretsKeysUnderTheEnvironment() {
        var env = Map.of(ProviderKeys.SECRET_VARIABLE, "generation-platform/provider-keys", "OPENAI_API_KEY", "sk-local");
        var merged = ProviderKeys.withKeys(env, id -> {
            assertEquals("generation-platform/provider-keys", id);
            return "{\"REPLICATE_API_TOKEN\": \"r8_secret\", \"OPENAI_API_KEY\": \"sk-from-secret\"}";
        });
        assertEquals("r8_secret", merged.get("REPLICATE_API_TOKEN"));
        assertEquals("sk-local", merged.get("OPENAI_API_KEY"), "a variable already set wins");
    }

    @Test
    void noSecretNoCallAndABadSecretIsNamed() {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "sk");
        assertSame(env, ProviderKeys.withKeys(env, id -> { throw new AssertionError("no secret configured"); }));
        var error = assertThrows(IllegalStateException.class,
                () -> ProviderKeys.withKeys(Map.of(ProviderKeys.SECRET_VARIABLE, "keys"), id -> "not json"));
        assertEquals("the secret keys must hold a JSON object of provider keys", error.getMessage());
    }
}
