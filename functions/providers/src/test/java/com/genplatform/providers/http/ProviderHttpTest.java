package com.genplatform.providers.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.core.provider.ProviderException;
import com.genplatform.testsupport.FakeHttpServer;
import com.genplatform.testsupport.FakeHttpServer.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderHttpTest {
    private final ProviderHttp http = new ProviderHttp("acme", Duration.ofSeconds(5), body -> body.path("message").asText(null));

    @Test
    void downloadsMediaWithinTheLimitAndRefusesPagesAndOversizedFiles() throws IOException {
        try (var server = FakeHttpServer.start()) {
            byte[] media = new byte[5000];
            server.on("GET", "/ok.mp4", r -> Reply.bytes(200, "video/mp4", media));
            server.on("GET", "/expired.mp4", r -> Reply.bytes(200, "text/html; charset=utf-8", "<html>link expired</html>".getBytes()));
            try (InputStream in = http.download(URI.create(server.baseUrl() + "/ok.mp4"), 10_000)) {
                assertArrayEquals(media, in.readAllBytes());
            }
            var page = assertThrows(ProviderException.class, () -> http.download(URI.create(server.baseUrl() + "/expired.mp4"), 10_000));
            assertTrue(page.getMessage().contains("text/html"), page.getMessage());
            assertThrows(ProviderException.class, () -> http.download(URI.create(server.baseUrl() + "/ok.mp4"), 1_000));
            var missing = assertThrows(ProviderException.class, () -> http.download(URI.create(server.baseUrl() + "/gone.mp4"), 1_000));
            assertFalse(missing.retryable());
        }
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        assertEquals(Duration.ofSeconds(30), ProviderHttp.retryAfter(headers("Retry-After", "30")));
        Duration fromDate = ProviderHttp.retryAfter(headers("Retry-After",
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(120))));
        assertTrue(fromDate.toSeconds() >= 118 && fromDate.toSeconds() <= 121, fromDate.toString());
        assertEquals(null, ProviderHttp.retryAfter(headers("X-Other", "1")));
    }

    private static HttpHeaders headers(String name, String value) {
        return HttpHeaders.of(Map.of(name, List.of(value)), (a, b) -> true);
    }
}
