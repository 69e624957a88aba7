package com.genplatform.providers.openai;

import com.genplatform.core.Engine;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.providers.ProviderContractTest;
import com.genplatform.testsupport.FakeHttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The provider contract for the audio engine (speech), against OpenAI's speech API. */
class OpenAiSpeechContractTest extends ProviderContractTest {

    @Override
    protected GenerationProvider provider(URI baseUrl, Duration timeout) {
        return new OpenAiProvider(baseUrl, TEST_KEY, timeout, timeout);
    }

    @Override
    protected Engine engine() {
        return Engine.AUDIO;
    }

    @Override
    protected String requestBody() {
        return """
                {"text": "Welcome aboard. We depart in five minutes.", "format": "wav", "provider": "openai"}
                """;
    }

    @Override
    protected void answerSuccess(FakeHttpServer server) {
        server.on("POST", OpenAiSpeech.PATH, r -> FakeHttpServer.Reply.bytes(200, "audio/wav", OpenAiFixtures.wav()));
    }

    @Override
    protected void answerError(FakeHttpServer server, int status, String message, Map<String, String> headers) {
        OpenAiFixtures.answerError(server, OpenAiSpeech.PATH, status, OpenAiFixtures.error(status, message), headers);
    }

    /**
     * OpenAI documents no speech-specific moderation answer; its platform-wide moderation codes are read on
     * every endpoint, so this is the same refusal the image endpoint gives.
     */
    @Override
    protected void answerContentFiltered(FakeHttpServer server) {
        OpenAiFixtures.answerError(server, OpenAiSpeech.PATH, 400, OpenAiFixtures.error(
                "Your request was rejected as a result of our safety system.", "invalid_request_error",
                "content_policy_violation"), Map.of());
    }

    @Override
    protected String expectedContentType() {
        return "audio/wav";
    }
}
