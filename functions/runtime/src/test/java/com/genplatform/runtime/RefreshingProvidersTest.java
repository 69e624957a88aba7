package com.genplatform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.aws.ProviderKeys;
import com.genplatform.core.error.ErrorCode;
import com.genplatform.core.error.PlatformException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RefreshingProvidersTest {
    private static final Map<String, String> ENV = Map.of(ProviderKeys.SECRET_VARIABLE, "generation-platform/provider-keys");
    private static final Duration TTL = Duration.ofMinutes(5);

    /** A clock the test moves by hand. */
    private static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-11-24T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void readsTheSecretOnFirstUseAndAgainOnlyAfterTheTtl() {
        var clock = new TestClock();
        var secret = new AtomicReference<>("{\"OPENAI_API_KEY\": \"sk-first\"}");
        var reads = new AtomicInteger();
        var providers = new RefreshingProviders(ENV, id -> {
            assertEquals("generation-platform/provider-keys", id);
            reads.incrementAndGet();
            return secret.get();
        }, TTL, clock);
        assertEquals(0, reads.get(), "building it reads nothing");

        assertTrue(providers.get().find("openai").isPresent());
        assertTrue(providers.get().find("stability").isEmpty());
        assertEquals(1, reads.get(), "read once, then kept");

        secret.set("{\"OPENAI_API_KEY\": \"sk-rotated\", \"STABILITY_API_KEY\": \"sk-stability\"}");
        clock.advance(TTL.minusSeconds(1));
        assertTrue(providers.get().find("stability").isEmpty(), "within the TTL the keys already read stand");
        assertEquals(1, reads.get());

        clock.advance(Duration.ofSeconds(1));
        assertTrue(providers.get().find("stability").isPresent(), "after the TTL the rotated secret is used");
        assertEquals(2, reads.get());
    }

    @Test
    void aFailedFirstReadIsA503ThatTheNextRequestRetriesAndAFailedRefreshKeepsTheKeys() {
        var clock = new TestClock();
        var failing = new AtomicBoolean(true);
        var providers = new RefreshingProviders(ENV, id -> {
            if (failing.get()) throw new IllegalStateException("Secrets Manager is unreachable");
            return "{\"OPENAI_API_KEY\": \"sk\"}";
        }, TTL, clock);

        var error = assertThrows(PlatformException.class, providers::get);
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, error.code());
        assertTrue(error.getMessage().contains("provider keys could not be read"), error.getMessage());

        failing.set(false);
        assertTrue(providers.get().find("openai").isPresent(), "the next request reads again");

        failing.set(true);
        clock.advance(TTL.plusSeconds(1));
        assertTrue(providers.get().find("openai").isPresent(), "a failed refresh keeps the keys that worked");
    }

    @Test
    void withoutASecretNothingIsReadAndTheEnvironmentDecides() {
        var providers = new RefreshingProviders(Map.of("STABILITY_API_KEY", "sk", "DEFAULT_PROVIDER_IMAGE", "openai"),
                id -> { throw new AssertionError("no secret is configured"); }, TTL, new TestClock());
        assertTrue(providers.get().find("stability").isPresent());
        assertEquals("provider \"openai\" is not configured (OPENAI_API_KEY is not set)", providers.get().whyUnavailable("openai"));
        assertEquals("unknown provider \"acme\"", providers.get().whyUnavailable("acme"));
    }
}
