package com.genplatform.providers.webhooks;

import com.genplatform.core.provider.WebhookDelivery;
import com.genplatform.core.provider.WebhookRejectedException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures (used by Replicate and OpenAI): HMAC-SHA256 over
 * {@code webhook-id + "." + webhook-timestamp + "." + raw body}, keyed by the base64 secret after
 * {@code whsec_}, sent as space-separated {@code v1,<base64>} in {@code webhook-signature}.
 * Unlike some providers' own validators, this one enforces the timestamp tolerance (against replays) and
 * compares signatures in constant time.
 */
public final class StandardWebhooks {
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final byte[] key;

    /** @param secret {@code whsec_<base64>} (the prefix is optional) */
    public StandardWebhooks(String secret) {
        String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        try {
            this.key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret must be whsec_ followed by base64", e);
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("the webhook secret is empty");
        }
    }

    /** The {@code webhook-signature} value for a delivery. */
    public String sign(String id, long timestampSeconds, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(mac(id, timestampSeconds, body));
    }

    /**
     * Checks a delivery's headers and signature; returns its {@code webhook-id}.
     *
     * @throws WebhookRejectedException for missing headers, a timestamp outside ±5 minutes, or no matching signature
     */
    public String verify(WebhookDelivery delivery, Instant now) {
        String id = delivery.header(ID).orElseThrow(() -> new WebhookRejectedException("missing " + ID + " header"));
        String timestamp = delivery.header(TIMESTAMP).orElseThrow(() -> new WebhookRejectedException("missing " + TIMESTAMP + " header"));
        String signatures = delivery.header(SIGNATURE).orElseThrow(() -> new WebhookRejectedException("missing " + SIGNATURE + " header"));
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw new WebhookRejectedException("the " + TIMESTAMP + " header is not a number");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            throw new WebhookRejectedException("the delivery's timestamp is more than " + TOLERANCE.toMinutes() + " minutes off");
        }
        byte[] expected = mac(id, seconds, delivery.rawBody());
        for (String candidate : signatures.strip().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !candidate.substring(0, comma).equals("v1")) continue;
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return id;
            }
        }
        throw new WebhookRejectedException("no valid signature");
    }

    private byte[] mac(String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
