package com.genplatform.core.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.error.ErrorCode;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.error.PlatformException;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenerationRequestTest {

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static GenerationRequest parse(Engine engine, String body) {
        return GenerationRequest.parse(engine, json(body));
    }

    /** field → message of every problem in the validation error that parsing {@code body} raises. */
    private static Map<String, String> problems(Engine engine, String body) {
        var error = assertThrows(PlatformException.class, () -> parse(engine, body));
        assertEquals(ErrorCode.VALIDATION_ERROR, error.code());
        return error.details().stream().collect(Collectors.toMap(FieldError::field, FieldError::message, (a, b) -> a + "; " + b));
    }

    @Test
    void imageDefaultsFollowTheSeed() {
        var image = assertInstanceOf(ImageRequest.class, parse(Engine.IMAGE, "{'prompt': 'A serene mountain landscape at sunset'}"));
        assertEquals("A serene mountain landscape at sunset", image.prompt());
        assertNull(image.model(), "no model named: the provider's default (flux for local and Replicate) applies");
        assertEquals(new Size(1024, 1024), image.size());
        assertEquals(1, image.numOutputs());
        assertNull(image.seed());
        assertNull(image.provider());
    }

    @Test
    void imageWithEveryField() {
        var image = (ImageRequest) parse(Engine.IMAGE, """
                {'prompt': 'a fox', 'negative_prompt': 'blur', 'model': 'black-forest-labs/flux-schnell',
                 'size': '768x512', 'num_outputs': 4, 'seed': 42, 'provider': 'replicate',
                 'metadata': {'order': 7}, 'client_id': 'c-1', 'campaign_id': 'spring', 'webhook_url': 'https://example.com/hook'}""");
        assertEquals(new Size(768, 512), image.size());
        assertEquals(4, image.numOutputs());
        assertEquals(42L, image.seed());
        assertEquals("replicate", image.provider());
        assertEquals(7, image.common().metadata().get("order").asInt());
        assertEquals("https://example.com/hook", image.common().webhookUrl().toString());
    }

    @Test
    void everyBadImageFieldIsReportedAtOnce() {
        var problems = problems(Engine.IMAGE, """
                {'negative_prompt': 5, 'size': '1000x5000', 'num_outputs': 9, 'seed': -1,
                 'model': 'bad model!', 'webhook_url': 'ftp://x', 'num_output': 2, 'metadata': [1]}""");
        assertEquals(
                java.util.Set.of("prompt", "negative_prompt", "size", "num_outputs", "seed", "model", "webhook_url",
                        "num_output", "metadata"),
                problems.keySet());
        assertEquals("is required", problems.get("prompt"));
        assertTrue(problems.get("size").contains("64 to 2048"), problems.get("size"));
        assertTrue(problems.get("num_outputs").contains("1 to 4"), problems.get("num_outputs"));
        assertEquals("is not a known field", problems.get("num_output"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1024|a number, not WxH",
            "\"1024\"|no height",
            "\"1020x1024\"|not a multiple of 8",
            "\"32x32\"|too small",
            "\"4096x4096\"|too large"})
    void badImageSizes(String size, String why) {
        var problems = problems(Engine.IMAGE, "{'prompt': 'p', 'size': " + size + "}");
        assertTrue(problems.containsKey("size"), why);
    }

    @Test
    void notAnObject() {
        assertEquals(Map.of("body", "must be a JSON object"), problems(Engine.IMAGE, "['prompt']"));
    }

    @Test
    void videoFromAspectRatioOrSize() {
        var byDefault = (VideoRequest) parse(Engine.VIDEO, "{'prompt': 'waves'}");
        assertEquals(new Size(1280, 720), byDefault.size());
        assertEquals(5, byDefault.durationSeconds());
        assertEquals(24, byDefault.fps());

        var portrait = (VideoRequest) parse(Engine.VIDEO, "{'prompt': 'waves', 'aspect_ratio': '9:16', 'duration_seconds': 3, 'fps': 12}");
        assertEquals(new Size(720, 1280), portrait.size());

        var sized = (VideoRequest) parse(Engine.VIDEO, "{'image_url': 'https://example.com/a.png', 'size': '256x144'}");
        assertNull(sized.prompt());
        assertEquals(new Size(256, 144), sized.size());
    }

    @Test
    void badVideoFieldsAllReported() {
        var problems = problems(Engine.VIDEO,
                "{'aspect_ratio': '5:1', 'size': '255x144', 'duration_seconds': 0, 'fps': 120, 'image_url': 'not a url'}");
        // image_url is given (if malformed), so prompt is optional here
        assertEquals(java.util.Set.of("aspect_ratio", "size", "duration_seconds", "fps", "image_url"),
                problems.keySet(), problems.toString());
        assertTrue(problems.get("size").contains("not both"));
        assertEquals(java.util.Map.of("prompt", "is required"), problems(Engine.VIDEO, "{'fps': 8}"));
    }

    @Test
    void audioSpeechAndMusic() {
        var speech = (AudioRequest) parse(Engine.AUDIO, "{'text': 'Hello there', 'voice': 'nova'}");
        assertTrue(speech.isSpeech());
        assertEquals("nova", speech.voice());
        assertNull(speech.durationSeconds());
        assertEquals("wav", speech.format());

        var music = (AudioRequest) parse(Engine.AUDIO, "{'prompt': 'calm piano', 'duration_seconds': 30, 'kind': 'music'}");
        assertEquals("music", music.kind());
        assertEquals(30, music.durationSeconds());
        assertNull(music.voice());
    }

    @Test
    void badAudioFieldsAllReported() {
        assertEquals(java.util.Set.of("text"), problems(Engine.AUDIO, "{}").keySet());
        var problems = problems(Engine.AUDIO, "{'text': 'hi', 'duration_seconds': 5, 'format': 'flac'}");
        assertEquals(java.util.Set.of("duration_seconds", "format"), problems.keySet(), problems.toString());
        assertTrue(problems(Engine.AUDIO, "{'text': 'hi', 'prompt': 'drums'}").containsKey("prompt"));
        assertTrue(problems(Engine.AUDIO, "{'prompt': 'drums', 'voice': 'nova', 'duration_seconds': 301}")
                .keySet().containsAll(java.util.Set.of("voice", "duration_seconds")));
    }

    @Test
    void promptRequest() {
        var prompt = (PromptRequest) parse(Engine.PROMPT, "{'prompt': 'a castle', 'target_engine': 'video', 'style': 'noir'}");
        assertEquals(Engine.VIDEO, prompt.targetEngine());
        assertEquals(256, prompt.maxTokens());
        var problems = problems(Engine.PROMPT, "{'prompt': '   ', 'target_engine': 'smell', 'max_tokens': 0}");
        assertEquals(java.util.Set.of("prompt", "target_engine", "max_tokens"), problems.keySet());
        assertEquals("must not be empty", problems.get("prompt"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "IMAGE|{'prompt': 'a fox', 'size': '512x512', 'seed': 3, 'metadata': {'a': [1, 2]}, 'client_id': 'c'}",
            "VIDEO|{'prompt': 'waves', 'aspect_ratio': '1:1', 'fps': 8}",
            "VIDEO|{'image_url': 'https://example.com/a.png', 'prompt': 'zoom'}",
            "AUDIO|{'text': 'Hello', 'format': 'mp3'}",
            "AUDIO|{'prompt': 'rain', 'kind': 'sound', 'duration_seconds': 4}",
            "PROMPT|{'prompt': 'p', 'target_engine': 'audio', 'max_tokens': 10, 'webhook_url': 'http://127.0.0.1:9/x'}"})
    void storedRequestsReadBackUnchanged(Engine engine, String body) throws Exception {
        GenerationRequest request = parse(engine, body);
        GenerationRequest again = GenerationRequest.parse(engine, request.toJson());
        assertEquals(request, again);
        assertEquals(request.toJson(), again.toJson());
        GenerationRequest stored = GenerationRequest.stored(engine, request.toJson());
        assertEquals(request, stored, "the unchecked read of a stored request gives the same request");
    }
}
