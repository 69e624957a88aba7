package com.genplatform.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.provider.GeneratedOutput;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.provider.ProviderException;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.testsupport.FakeHttpServer;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every provider client must do, each test run against a local server that answers as the provider's
 * documented API does: produce real outputs on success; make 429 (with Retry-After), 5xx, timeouts and
 * malformed answers retryable; make 4xx and auth failures final with the provider's message; turn content
 * filtering into a failed task with {@code content_filtered}. Each provider's test extends this with the
 * provider's own wire format.
 */
public abstract class ProviderContractTest {
    protected FakeHttpServer server;

    /** The client under test, pointed at the fake server's base URL, with this call timeout. */
    protected abstract GenerationProvider provider(URI baseUrl, Duration timeout);

    /** The engine and request body of the task the contract runs. */
    protected abstract Engine engine();

    protected abstract String requestBody();

    /** Routes for a documented successful generation (start, then check or download as the API works). */
    protected abstract void answerSuccess(FakeHttpServer server);

    /** Routes answering the start call with {@code status} and the provider's documented error body with {@code message}. */
    protected abstract void answerError(FakeHttpServer server, int status, String message, Map<String, String> headers);

    /** Routes for the provider's documented content-filter answer. */
    protected abstract void answerContentFiltered(FakeHttpServer server);

    /** The content type every output must have, e.g. {@code image/png}. */
    protected abstract String expectedContentType();

    @BeforeEach
    void startServer() {
        server = FakeHttpServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    protected Task task() {
        var request = GenerationRequest.parse(engine(), readJson(requestBody()));
        GenerationProvider provider = provider(server.baseUrl(), Duration.ofSeconds(5));
        String model = request.model() != null ? request.model() : provider.defaultModel(engine());
        return Task.create(UUID.randomUUID().toString(), "user-1", request, provider.name(), model, Instant.now())
                .startAttempt(Instant.now());
    }

    /** Runs a task to the provider's final answer, as the worker would: start, then check while it runs. */
    protected ProviderAnswer runToEnd(GenerationProvider provider) {
        Task task = task();
        ProviderAnswer answer = provider.start(task, "https://example.com/api/v3/webhooks/" + provider.name() + "?task=" + task.id());
        if (answer instanceof ProviderAnswer.Accepted accepted) {
            task = task.withProviderTask(accepted.providerTaskId(), Instant.now());
            for (int check = 0; check < 5; check++) {
                answer = provider.check(task);
                if (!(answer instanceof ProviderAnswer.Running)) break;
            }
        }
        return answer;
    }

    @Test
    void successGivesRealOutputs() throws Exception {
        answerSuccess(server);
        var done = assertInstanceOf(ProviderAnswer.Done.class, runToEnd(provider(server.baseUrl(), Duration.ofSeconds(5))));
        assertFalse(done.outputs().isEmpty());
        for (GeneratedOutput output : done.outputs()) {
            assertEquals(expectedContentType(), output.contentType());
            try (InputStream in = output.source().open()) {
                assertTrue(in.readAllBytes().length > 0, "an output has content");
            }
        }
    }

    @Test
    void rateLimitIsRetryableAfterTheProvidersDelay() {
        answerError(server, 429, "Request was throttled", Map.of("Retry-After", "7"));
        var e = assertThrows(ProviderException.class, () -> runToEnd(provider(server.baseUrl(), Duration.ofSeconds(5))));
        assertTrue(e.retryable());
        assertEquals(Duration.ofSeconds(7), e.retryAfter());
    }

    @Test
    void serverErrorsAreRetryable() {
        answerError(server, 503, "Service temporarily unavailable", Map.of());
        assertTrue(assertThrows(ProviderException.class, () -> runToEnd(provider(server.baseUrl(), Duration.ofSeconds(5)))).retryable());
    }

    @Test
    void badRequestsAreFinalAndKeepTheProvidersMessage() {
        answerError(server, 400, "The prompt is too long for this model", Map.of());
        var e = assertThrows(ProviderException.class, () -> runToEnd(provider(server.baseUrl(), Duration.ofSeconds(5))));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("The prompt is too long for this model"), e.getMessage());
    }

    @Test
    void authFailuresAreFinal() {
        answerError(server, 401, "Invalid API key", Map.of());
        var e = assertThrows(ProviderException.class, () -> runToEnd(provider(server.baseUrl(), Duration.ofSeconds(5))));
        assertFalse(e.retryable());
        assertFalse(e.getMessage().contains(TEST_KEY), "the API key never appears in a message");
    }

    @Test
    void timeoutsAreRetryable() {
        answerSuccess(server);
        server.on("POST", ".*", r -> FakeHttpServer.Reply.json(200, "{}").after(Duration.ofSeconds(2)));
        var e = assertThrows(ProviderException.class, () -> runToEnd(provider(server.baseUrl(), Duration.ofMillis(300))));
        assertTrue(e.retryable(), e.getMessage());
    }

    @Test
    void malformedAnswersAreRetryable() {
        answerSuccess(server);
        server.on("POST", ".*", r -> FakeHttpServer.Reply.bytes(200, "application/json", "<html>oops".getBytes()));
        var e = assertThrows(ProviderException.class, () -> runToEnd(provider(server.baseUrl(), Duration.ofSeconds(5))));
        assertTrue(e.retryable(), e.getMessage());
    }

    @Test
    protected void contentFilteringFailsTheTaskWithAClearReason() {
        answerContentFiltered(server);
        var failed = assertInstanceOf(ProviderAnswer.Failed.class, runToEnd(provider(server.baseUrl(), Duration.ofSeconds(5))));
        assertEquals(TaskError.CONTENT_FILTERED, failed.error().code());
    }

    /** The key every provider under test is built with; it must never show up in errors. */
    protected static final String TEST_KEY = "test-key-7f3a9c";

    private static com.fasterxml.jackson.databind.JsonNode readJson(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
