package com.genplatform.testsupport.iam;

import com.genplatform.testsupport.LocalAws;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Secrets Manager's secrets, in memory: each with its ARN (name plus AWS's random six-character suffix). */
public final class LocalSecrets {
    /** One secret's current version. */
    public record Secret(String name, String arn, String value, String versionId, Instant created) {}

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Secret> byName = new ConcurrentHashMap<>();

    /** Creates the secret, or stores a new current version of it (a rotation); returns it. */
    public Secret put(String name, String value) {
        return byName.compute(name, (n, old) -> new Secret(n, old != null ? old.arn() : arn(n), value,
                UUID.randomUUID().toString(), Instant.now()));
    }

    /** By name, full ARN, or ARN without its suffix, as GetSecretValue's SecretId accepts. */
    public Optional<Secret> find(String secretId) {
        return byName.values().stream()
                .filter(s -> s.name().equals(secretId) || s.arn().equals(secretId) || s.arn().equals(secretId + s.arn().substring(s.arn().length() - 7)))
                .findFirst();
    }

    /** The ARN a secret of that name would have before its suffix is known (what IAM sees for a missing secret). */
    public static String arnWithoutSuffix(String secretId) {
        return secretId.startsWith("arn:") ? secretId
                : "arn:aws:secretsmanager:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT_ID + ":secret:" + secretId;
    }

    private static String arn(String name) {
        StringBuilder suffix = new StringBuilder("-");
        for (int i = 0; i < 6; i++) suffix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return arnWithoutSuffix(name) + suffix;
    }
}
