package com.genplatform.providers.openai;

import com.genplatform.core.Engine;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.providers.ProviderContractTest;
import com.genplatform.testsupport.FakeHttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The provider contract for the prompt engine, against OpenAI's chat completions API. */
class OpenAiPromptContractTest extends ProviderContractTest {

    @Override
    protected GenerationProvider provider(URI baseUrl, Duration timeout) {
        return new OpenAiProvider(baseUrl, TEST_KEY, timeout, timeout);
    }

    @Override
    protected Engine engine() {
        return Engine.PROMPT;
    }

    @Override
    protected String requestBody() {
        return """
                {"prompt": "a lighthouse at dusk", "target_engine": "image", "style": "watercolour", "max_tokens": 120,
                 "provider": "openai"}
                """;
    }

    @Override
    protected void answerSuccess(FakeHttpServer server) {
        server.on("POST", OpenAiChat.PATH, r -> FakeHttpServer.Reply.json(200, OpenAiFixtures.chatCompletion(
                "A lone lighthouse on a rocky headland at dusk, soft watercolour washes of violet and amber.", "stop")));
    }

    @Override
    protected void answerError(FakeHttpServer server, int status, String message, Map<String, String> headers) {
        OpenAiFixtures.answerError(server, OpenAiChat.PATH, status, OpenAiFixtures.error(status, message), headers);
    }

    @Override
    protected void answerContentFiltered(FakeHttpServer server) {
        server.on("POST", OpenAiChat.PATH, r -> FakeHttpServer.Reply.json(200, OpenAiFixtures.chatCompletion("", "content_filter")));
    }

    @Override
    protected String expectedContentType() {
        return "text/plain; charset=utf-8";
    }
}
