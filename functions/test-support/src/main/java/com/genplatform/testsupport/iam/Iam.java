package com.genplatform.testsupport.iam;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local IAM: each function of the template gets its own credentials (as each Lambda function gets its
 * role's), and every AWS call signed with them is authorised against that function's {@link Role}. The
 * emulators' own administrator credentials (what tests and tools use) are never checked. Every distinct
 * decision is recorded, so tests can see which statement allowed what.
 */
public final class Iam {
    /** One authorised or refused call. */
    public record Decision(String functionId, String action, String resource, Optional<Statement> allowedBy) {
        public boolean allowed() {
            return allowedBy.isPresent();
        }
    }

    /** What a caller is, from the access key id it signed with. */
    public sealed interface Caller {
        record Administrator() implements Caller {}
        record Function(Role role) implements Caller {}
        record Unknown(String accessKeyId) implements Caller {}
    }

    private final Map<String, Role> roles;
    private final boolean enforced;
    private final String adminAccessKeyId;
    /** Distinct decisions (a long run repeats the same calls: the set stays small). */
    private final Set<Decision> decisions = ConcurrentHashMap.newKeySet();

    public Iam(Map<String, Role> roles, boolean enforced, String adminAccessKeyId) {
        this.roles = Map.copyOf(roles);
        this.enforced = enforced;
        this.adminAccessKeyId = adminAccessKeyId;
    }

    public boolean enforced() {
        return enforced;
    }

    public Map<String, Role> roles() {
        return roles;
    }

    /** The function's access key id: stable per function, shaped like the temporary keys Lambda hands out. */
    public static String accessKeyId(String functionId) {
        return "ASIA" + digest(functionId).substring(0, 16).toUpperCase(Locale.ROOT);
    }

    public static String secretAccessKey(String functionId) {
        return "local-" + digest("secret:" + functionId).substring(0, 32);
    }

    public Caller caller(String accessKeyId) {
        if (accessKeyId == null) return new Caller.Unknown(null);
        if (accessKeyId.equals(adminAccessKeyId)) return new Caller.Administrator();
        return roles.values().stream().filter(r -> accessKeyId(r.functionId()).equals(accessKeyId)).findFirst()
                .<Caller>map(Caller.Function::new).orElse(new Caller.Unknown(accessKeyId));
    }

    /**
     * Authorises one call; empty when allowed, else AWS's message for the denial. With enforcement off,
     * everything a known caller does is allowed (and still recorded).
     */
    public Optional<String> authorize(Caller caller, String action, String resource) {
        return switch (caller) {
            case Caller.Administrator a -> Optional.empty();
            case Caller.Unknown u -> Optional.of("The security token included in the request is invalid.");
            case Caller.Function f -> {
                Optional<Statement> by = f.role().allowing(action, resource);
                decisions.add(new Decision(f.role().functionId(), action, resource, by));
                yield by.isPresent() || !enforced ? Optional.empty() : Optional.of(f.role().denial(action, resource));
            }
        };
    }

    /** Every distinct decision so far. */
    public List<Decision> decisions() {
        return List.copyOf(decisions);
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
