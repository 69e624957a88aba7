package com.genplatform.providers.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.core.Json;
import com.genplatform.core.TaskError;
import com.genplatform.core.provider.ProviderException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;

/**
 * How every provider client talks HTTP: one shared client, a timeout on every call, and one classification
 * of failures: 408, 409 (busy), 429 and 5xx, timeouts and dropped connections are retryable (honouring
 * {@code Retry-After}); other 4xx are final, with the provider's own message kept; API keys never appear
 * in messages.
 */
public final class ProviderHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private final String provider;
    private final Duration timeout;
    private final Function<JsonNode, String> errorMessage;

    /**
     * @param provider     the provider's name, for messages
     * @param errorMessage reads the provider's error message from its JSON error body (null if absent)
     */
    public ProviderHttp(String provider, Duration timeout, Function<JsonNode, String> errorMessage) {
        this.provider = provider;
        this.timeout = timeout;
        this.errorMessage = errorMessage;
    }

    /** Sends a request that answers with a small body; throws a classified ProviderException unless 2xx. */
    public HttpResponse<byte[]> send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response = exchange(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 != 2) {
            throw failure(response.statusCode(), response.headers(), response.body());
        }
        return response;
    }

    /** Sends and parses a JSON answer; a 2xx answer that is not JSON is a (retryable) malformed answer. */
    public JsonNode json(HttpRequest.Builder request) {
        return parse(send(request.header("Accept", "application/json")).body());
    }

    /**
     * Opens a media download as a stream for copying into S3, refusing more than {@code maxBytes} and
     * answers that are pages (HTML, JSON, XML, text) rather than media.
     */
    public InputStream download(URI url, long maxBytes) {
        var response = exchange(HttpRequest.newBuilder(url).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 != 2) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(4096);
            } catch (IOException e) {
                body = new byte[0];
            }
            throw failure(response.statusCode(), response.headers(), body);
        }
        String type = mediaType(response.headers());
        if (type.startsWith("text/") || type.contains("json") || type.contains("xml")) {
            // an error page served with 200 (an expired or wrong output URL), not the media itself
            closeQuietly(response.body());
            throw ProviderException.fatal(TaskError.PROVIDER_ERROR, provider + " output " + url.getPath() + " is " + type + ", not media");
        }
        long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
        if (declared > maxBytes) {
            closeQuietly(response.body());
            throw ProviderException.fatal(TaskError.PROVIDER_ERROR, provider + " returned an output of " + declared
                    + " bytes, over the limit of " + maxBytes);
        }
        return new LimitedInputStream(response.body(), maxBytes, provider);
    }

    public JsonNode parse(byte[] body) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            if (json == null || json.isMissingNode()) throw new IOException("empty body");
            return json;
        } catch (IOException e) {
            throw new ProviderException(true, TaskError.PROVIDER_ERROR, provider + " sent an answer that is not valid JSON", null, e);
        }
    }

    /** The classified exception for an unsuccessful answer. */
    public ProviderException failure(int status, HttpHeaders headers, byte[] body) {
        String message = null;
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            if (json != null) message = errorMessage.apply(json);
        } catch (IOException | RuntimeException ignored) {
            // not JSON: fall back to the status alone
        }
        String text = provider + " answered HTTP " + status + (message == null || message.isBlank() ? "" : ": " + message);
        boolean retryable = status == 408 || status == 409 || status == 425 || status == 429 || status >= 500;
        return new ProviderException(retryable, TaskError.PROVIDER_ERROR, text, retryAfter(headers), null);
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    public static Duration retryAfter(HttpHeaders headers) {
        return headers.firstValue("retry-after").map(value -> {
            try {
                return Duration.ofSeconds(Math.max(0, (long) Double.parseDouble(value.strip())));
            } catch (NumberFormatException e) {
                try {
                    var date = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                    return Duration.between(ZonedDateTime.now(date.getZone()), date).abs();
                } catch (RuntimeException unreadable) {
                    return null;
                }
            }
        }).orElse(null);
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return CLIENT.send(request, handler);
        } catch (HttpTimeoutException e) {
            throw new ProviderException(true, TaskError.PROVIDER_ERROR, provider + " did not answer within " + timeout.toSeconds() + " s", null, e);
        } catch (ConnectException e) {
            throw new ProviderException(true, TaskError.PROVIDER_ERROR, provider + " could not be reached", null, e);
        } catch (IOException e) {
            throw new ProviderException(true, TaskError.PROVIDER_ERROR, provider + " connection failed: " + e.getClass().getSimpleName(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(true, TaskError.PROVIDER_ERROR, provider + " call interrupted", null, e);
        }
    }

    /** A content type's main part, lower case: {@code "image/png; x=y"} → {@code "image/png"}. */
    public static String mediaType(HttpHeaders headers) {
        return headers.firstValue("content-type").map(v -> v.split(";")[0].strip().toLowerCase(Locale.ROOT)).orElse("");
    }

    public static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Stops a download that turns out larger than it may be. */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long max;
        private final String provider;
        private long read;

        LimitedInputStream(InputStream in, long max, String provider) {
            super(in);
            this.max = max;
            this.provider = provider;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) count(n);
            return n;
        }

        private void count(long n) throws IOException {
            read += n;
            if (read > max) throw new IOException(provider + " output exceeds " + max + " bytes");
        }
    }
}
