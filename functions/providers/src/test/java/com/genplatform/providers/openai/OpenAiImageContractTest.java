package com.genplatform.providers.openai;

import com.genplatform.core.Engine;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.providers.ProviderContractTest;
import com.genplatform.testsupport.FakeHttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The provider contract for the image engine, against OpenAI's images API with gpt-image-1. */
class OpenAiImageContractTest extends ProviderContractTest {

    @Override
    protected GenerationProvider provider(URI baseUrl, Duration timeout) {
        return new OpenAiProvider(baseUrl, TEST_KEY, timeout, timeout);
    }

    @Override
    protected Engine engine() {
        return Engine.IMAGE;
    }

    @Override
    protected String requestBody() {
        return """
                {"prompt": "a red fox in fresh snow", "size": "1536x1024", "num_outputs": 2, "provider": "openai"}
                """;
    }

    @Override
    protected void answerSuccess(FakeHttpServer server) {
        server.on("POST", OpenAiImages.PATH, r -> FakeHttpServer.Reply.json(200, OpenAiFixtures.imagesBase64(2)));
    }

    @Override
    protected void answerError(FakeHttpServer server, int status, String message, Map<String, String> headers) {
        OpenAiFixtures.answerError(server, OpenAiImages.PATH, status, OpenAiFixtures.error(status, message), headers);
    }

    /** gpt-image-1's safety refusal: a 400 with code moderation_blocked. */
    @Override
    protected void answerContentFiltered(FakeHttpServer server) {
        OpenAiFixtures.answerError(server, OpenAiImages.PATH, 400, OpenAiFixtures.error(
                "Your request was rejected by the safety system. safety_violations=[violence].",
                "image_generation_user_error", "moderation_blocked"), Map.of());
    }

    @Override
    protected String expectedContentType() {
        return "image/png";
    }
}
