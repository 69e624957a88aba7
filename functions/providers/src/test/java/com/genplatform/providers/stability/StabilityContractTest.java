package com.genplatform.providers.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.TaskError;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.core.provider.ProviderAnswer;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.providers.ProviderContractTest;
import com.genplatform.providers.local.PngImage;
import com.genplatform.testsupport.FakeHttpServer;
import com.genplatform.testsupport.FakeHttpServer.Reply;
import com.genplatform.testsupport.MediaProbe;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stability's v2beta Stable Image API as documented: multipart in, image bytes out, finish-reason header. */
class StabilityContractTest extends ProviderContractTest {

    @Override
    protected GenerationProvider provider(URI baseUrl, Duration timeout) {
        return new StabilityProvider(baseUrl, TEST_KEY, timeout);
    }

    @Override
    protected Engine engine() {
        return Engine.IMAGE;
    }

    @Override
    protected String requestBody() {
        return "{\"prompt\": \"a lighthouse at dusk\", \"negative_prompt\": \"blur\", \"size\": \"1344x768\", \"num_outputs\": 2, \"seed\": 11}";
    }

    @Override
    protected String expectedContentType() {
        return "image/png";
    }

    static byte[] png(int width, int height) {
        try {
            var out = new ByteArrayOutputStream();
            PngImage.write("stability", 1, 0, width, height, out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected void answerSuccess(FakeHttpServer server) {
        server.on("POST", "/v2beta/stable-image/generate/core", r -> Reply.bytes(200, "image/png", png(1344, 768))
                .withHeader("finish-reason", "SUCCESS").withHeader("seed", "11"));
    }

    @Override
    protected void answerError(FakeHttpServer server, int status, String message, Map<String, String> headers) {
        server.on("POST", "/v2beta/.*", r -> {
            Reply reply = Reply.json(status, "{\"id\": \"a1b2c3\", \"name\": \"error\", \"errors\": [\"" + message + "\"]}");
            for (var header : headers.entrySet()) reply = reply.withHeader(header.getKey(), header.getValue());
            return reply;
        });
    }

    @Override
    protected void answerContentFiltered(FakeHttpServer server) {
        server.on("POST", "/v2beta/.*", r -> Reply.bytes(200, "image/png", png(64, 64)).withHeader("finish-reason", "CONTENT_FILTERED"));
    }

    @Test
    void sendsTheDocumentedMultipartFieldsOncePerOutput() {
        answerSuccess(server);
        var done = assertInstanceOf(ProviderAnswer.Done.class, runToEnd(provider(server.baseUrl(), Duration.ofSeconds(5))));
        assertEquals(2, done.outputs().size());
        assertEquals(1344, done.outputs().getFirst().width());
        assertEquals(2, server.received().size());
        var first = server.received().getFirst();
        assertEquals("Bearer " + TEST_KEY, first.header("Authorization"));
        assertEquals("image/*", first.header("Accept"));
        assertTrue(first.header("Content-Type").startsWith("multipart/form-data; boundary="));
        String body = first.text();
        for (String field : List.of("name=\"prompt\"\r\n\r\na lighthouse at dusk", "name=\"aspect_ratio\"\r\n\r\n16:9",
                "name=\"output_format\"\r\n\r\npng", "name=\"negative_prompt\"\r\n\r\nblur", "name=\"seed\"\r\n\r\n11")) {
            assertTrue(body.contains(field), field + " in " + body);
        }
        assertTrue(server.received().get(1).text().contains("name=\"seed\"\r\n\r\n12"), "the second output has its own seed");
    }

    @Test
    void contentModerationRefusalIsContentFiltered() {
        server.on("POST", "/v2beta/.*", r -> Reply.json(403, "{\"id\": \"x\", \"name\": \"content_moderation\", "
                + "\"errors\": [\"Your request was flagged by our content moderation system.\"]}"));
        var failed = assertInstanceOf(ProviderAnswer.Failed.class, runToEnd(provider(server.baseUrl(), Duration.ofSeconds(5))));
        assertEquals(TaskError.CONTENT_FILTERED, failed.error().code());
    }

    @Test
    void refusesSizesAndModelsItCannotServe() throws Exception {
        var provider = provider(server.baseUrl(), Duration.ofSeconds(5));
        assertEquals(List.of(), provider.unsupported(request("{\"prompt\": \"p\", \"size\": \"1024x1536\", \"model\": \"sd3.5-large\"}")));
        assertEquals("16:9", StabilityProvider.ratio(new com.genplatform.core.request.Size(1344, 768)));
        assertEquals("21:9", StabilityProvider.ratio(new com.genplatform.core.request.Size(1536, 640)));
        assertEquals(List.of("model", "size"), provider.unsupported(request("{\"prompt\": \"p\", \"size\": \"1024x904\", \"model\": \"flux\"}"))
                .stream().map(FieldError::field).toList());
        assertEquals(new MediaProbe.Picture(1344, 768), MediaProbe.png(png(1344, 768)));
    }

    private static GenerationRequest request(String json) throws Exception {
        return GenerationRequest.parse(Engine.IMAGE, Json.MAPPER.readTree(json));
    }
}
