package com.genplatform.core.port;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/** API keys, stored only as SHA-256 hashes, each mapped to the user it acts for. */
public interface ApiKeyStore {

    /** The user that {@code apiKey} belongs to, if it is a known key. */
    Optional<String> userFor(String apiKey);

    /** Stores a new key for {@code userId} and returns it; the plain key is never stored and cannot be shown again. */
    String issue(String userId);

    /** A new random key: {@code gp_} and 32 random bytes, base64url. */
    static String newKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "gp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Keys are random and long, so a plain SHA-256 is enough (no salt or slow hash needed). */
    static String hash(String apiKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
