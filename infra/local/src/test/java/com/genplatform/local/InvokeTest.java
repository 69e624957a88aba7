package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * infra/invoke runs every function of template.yaml with its sample event from events/, and each does what its
 * name says: the invoker first makes the task, key or fresh signature the event needs (unless --as-is).
 */
class InvokeTest {

    @ParameterizedTest(name = "{0} -e events/{1}")
    @CsvSource({
            "ApiFunction, api-submit-image.json, \"statusCode\" : 202",
            "ApiFunction, api-health.json, \"statusCode\" : 200",
            "ApiFunction, api-get-task.json, \"statusCode\" : 200",
            "ApiFunction, api-cancel-task.json, \\\"status\\\":\\\"canceled\\\"",
            "ApiFunction, api-get-result.json, task_not_finished",
            "AuthorizerFunction, authorizer.json, \"user_id\" : \"demo-user\"",
            "WebhookFunction, webhook-local-succeeded.json, \\\"task_status\\\":\\\"succeeded\\\"",
            "ImageWorkerFunction, sqs-image-run.json, \"batchItemFailures\" : [ ]",
            "VideoWorkerFunction, sqs-video-run.json, \"batchItemFailures\" : [ ]",
            "AudioWorkerFunction, sqs-audio-run.json, \"batchItemFailures\" : [ ]",
            "PromptWorkerFunction, sqs-prompt-run.json, \"batchItemFailures\" : [ ]",
            "SweeperFunction, schedule-sweeper.json, \"requeued\""})
    void everyFunctionWithItsEvent(String function, String file, String expected) throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        Path event = Path.of("../../events", file);
        int code = Invoke.run(new String[] {function, "-e", event.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(expected), out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).matches("(?s).*" + function + ": init \\d+ ms, invoke \\d+ ms.*"), err.toString());
        if (file.startsWith("sqs-")) {
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("(prepared: created task 3f1c2a9e"), err.toString());
        }
    }

    @org.junit.jupiter.api.Test
    void asIsSendsTheSampleUnchangedSoItsOldSignatureIsRefused() throws Exception {
        var out = new ByteArrayOutputStream();
        int code = Invoke.run(new String[] {"WebhookFunction", "-e", "../../events/webhook-local-succeeded.json", "--as-is"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"statusCode\" : 401"), out.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource({"NoSuchFunction, api-health.json", "ApiFunction, no-such-event.json"})
    void mistakesAreNamed(String function, String file) throws Exception {
        var err = new ByteArrayOutputStream();
        int code = Invoke.run(new String[] {function, "-e", "../../events/" + file}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString().contains(function.equals("NoSuchFunction") ? "no function NoSuchFunction" : "no event file"), err.toString());
    }
}
