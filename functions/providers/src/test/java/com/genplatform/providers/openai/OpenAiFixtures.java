package com.genplatform.providers.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.core.Json;
import com.genplatform.testsupport.FakeHttpServer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;

/** Answers shaped like OpenAI's documented API reference (chat completions, images, speech, errors). */
final class OpenAiFixtures {
    static final int PNG_WIDTH = 32;
    static final int PNG_HEIGHT = 24;

    private OpenAiFixtures() {}

    /** {@code {"error": {"message", "type", "param", "code"}}} with the type and code OpenAI uses for the status. */
    static String error(int status, String message) {
        return switch (status) {
            case 401 -> error(message, "invalid_request_error", "invalid_api_key");
            case 429 -> error(message, "requests", "rate_limit_exceeded");
            default -> status >= 500 ? error(message, "server_error", null) : error(message, "invalid_request_error", null);
        };
    }

    static String error(String message, String type, String code) {
        ObjectNode error = Json.MAPPER.createObjectNode().put("message", message).put("type", type).putNull("param");
        if (code == null) error.putNull("code");
        else error.put("code", code);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("error", error);
        return body.toString();
    }

    static void answerError(FakeHttpServer server, String path, int status, String body, Map<String, String> headers) {
        server.on("POST", path, r -> {
            var reply = FakeHttpServer.Reply.json(status, body);
            for (var header : headers.entrySet()) reply = reply.withHeader(header.getKey(), header.getValue());
            return reply;
        });
    }

    static String chatCompletion(String content, String finishReason) {
        return """
                {
                  "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
                  "object": "chat.completion",
                  "created": 1741569952,
                  "model": "gpt-4o-mini-2024-07-18",
                  "choices": [
                    {
                      "index": 0,
                      "message": {"role": "assistant", "content": %s, "refusal": null, "annotations": []},
                      "logprobs": null,
                      "finish_reason": "%s"
                    }
                  ],
                  "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29},
                  "service_tier": "default"
                }
                """.formatted(content == null ? "null" : Json.MAPPER.valueToTree(content).toString(), finishReason);
    }

    /** A GPT image answer: base64 PNGs and token usage. */
    static String imagesBase64(int count) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < count; i++) {
            data.append(i == 0 ? "" : ",").append("{\"b64_json\": \"").append(Base64.getEncoder().encodeToString(png(i))).append("\"}");
        }
        return """
                {
                  "created": 1713833628,
                  "data": [%s],
                  "usage": {"total_tokens": 100, "input_tokens": 50, "output_tokens": 50,
                            "input_tokens_details": {"text_tokens": 10, "image_tokens": 40}}
                }
                """.formatted(data);
    }

    /** A DALL·E answer with a (60-minute) URL and the revised prompt. */
    static String imagesUrl(String url) {
        return """
                {"created": 1713833628, "data": [{"url": "%s", "revised_prompt": "A red fox standing in fresh snow."}]}
                """.formatted(url);
    }

    /** A real, decodable PNG, different for each index. */
    static byte[] png(int index) {
        BufferedImage image = new BufferedImage(PNG_WIDTH, PNG_HEIGHT, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new Color(40 * index % 256, 120, 200));
        g.fillRect(0, 0, PNG_WIDTH, PNG_HEIGHT);
        g.dispose();
        try {
            var out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A minimal PCM WAV header plus silence, as the speech endpoint's {@code wav} answer. */
    static byte[] wav() {
        int samples = 2400;
        var buffer = java.nio.ByteBuffer.allocate(44 + samples * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(24000).putInt(48000)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(samples * 2);
        return buffer.array();
    }
}
