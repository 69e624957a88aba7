package com.genplatform.providers.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.core.provider.WebhookDelivery;
import com.genplatform.core.provider.WebhookRejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Instant NOW = Instant.ofEpochSecond(1_795_548_600);
    private static final byte[] BODY = "{\"id\":\"p1\",\"status\":\"succeeded\"}".getBytes(StandardCharsets.UTF_8);

    private static WebhookDelivery delivery(String id, long timestamp, String signature, byte[] body) {
        return new WebhookDelivery(Map.of("Webhook-Id", id, "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", signature), body);
    }

    @Test
    void acceptsItsOwnSignatureAndReturnsTheDeliveryId() {
        var hooks = new StandardWebhooks(SECRET);
        String signature = hooks.sign("msg_1", NOW.getEpochSecond(), BODY);
        assertTrue(signature.startsWith("v1,"));
        assertEquals("msg_1", hooks.verify(delivery("msg_1", NOW.getEpochSecond(), signature, BODY), NOW));
        // several signatures (secret rotation): any one valid is enough
        assertEquals("msg_1", hooks.verify(delivery("msg_1", NOW.getEpochSecond(), "v1,AAAA " + signature, BODY), NOW));
    }

    @Test
    void matchesTheStandardWebhooksReferenceVector() {
        // The specification's published example: secret, id, timestamp, payload and expected signature.
        var hooks = new StandardWebhooks("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        byte[] payload = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                hooks.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, payload));
    }

    @Test
    void rejectsWrongSecretsTamperedBodiesStaleTimestampsAndMissingHeaders() {
        var hooks = new StandardWebhooks(SECRET);
        long now = NOW.getEpochSecond();
        String signature = hooks.sign("msg_1", now, BODY);
        var other = new StandardWebhooks("whsec_" + java.util.Base64.getEncoder().encodeToString("another".getBytes()));
        assertThrows(WebhookRejectedException.class, () -> other.verify(delivery("msg_1", now, signature, BODY), NOW));
        byte[] tampered = "{\"id\":\"p1\",\"status\":\"failed\"}".getBytes(StandardCharsets.UTF_8);
        assertThrows(WebhookRejectedException.class, () -> hooks.verify(delivery("msg_1", now, signature, tampered), NOW));
        assertThrows(WebhookRejectedException.class, () -> hooks.verify(delivery("msg_2", now, signature, BODY), NOW));
        String stale = hooks.sign("msg_1", now - 301, BODY);
        var error = assertThrows(WebhookRejectedException.class, () -> hooks.verify(delivery("msg_1", now - 301, stale, BODY), NOW));
        assertTrue(error.getMessage().contains("5 minutes"), error.getMessage());
        assertThrows(WebhookRejectedException.class,
                () -> hooks.verify(new WebhookDelivery(Map.of("webhook-id", "msg_1"), BODY), NOW));
    }
}
