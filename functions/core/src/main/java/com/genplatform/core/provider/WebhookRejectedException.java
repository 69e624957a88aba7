package com.genplatform.core.provider;

/** A webhook that failed verification (signature, timestamp, format): answered 401, nothing stored. */
public class WebhookRejectedException extends RuntimeException {
    public WebhookRejectedException(String message) {
        super(message);
    }
}
