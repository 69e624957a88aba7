package com.genplatform.core.provider;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A webhook as it arrived: headers (looked up case-insensitively) and the raw body bytes. */
public record WebhookDelivery(Map<String, String> headers, byte[] rawBody) {

    public Optional<String> header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                .map(Map.Entry::getValue)
                .findFirst();
    }
}
