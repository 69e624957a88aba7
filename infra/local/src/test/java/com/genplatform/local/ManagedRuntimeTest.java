package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.LocalAwsExtension;
import com.genplatform.testsupport.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A function gets only what the managed runtime provides beside its jar: a class its jar lacks fails here
 * as it would on AWS, even though this stack's own class path has it.
 */
@ExtendWith(LocalAwsExtension.class)
class ManagedRuntimeTest {
    private static final Path WORKER_JAR = SamTemplate.locate().path().toAbsolutePath().getParent()
            .resolve("functions/worker/target/gp-worker.jar");

    private final LocalAws aws;

    @TempDir
    Path dir;

    ManagedRuntimeTest(LocalAws aws) {
        this.aws = aws;
    }

    /**
     * Two functions with the same handler: one on the shipped worker jar, one on a copy without joda-time.
     * The runtime's serializer loads org.joda.time.DateTime from the function's jar for SQSEvent and
     * ScheduledEvent (aws-lambda-java-libs #72), and caches loaded classes by name in a static: each function
     * needs a runtime loader of its own, or the first one's DateTime would serve the second.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "com.genplatform.worker.WorkerHandler, ImageWorkerFunction, sqs-image-run.json",
            "com.genplatform.worker.SweeperHandler, SweeperFunction, schedule-sweeper.json"})
    void aJarWithoutJodaTimeFailsToStartWhileTheShippedJarRuns(String handler, String roleOf, String event) throws IOException {
        Path withoutJoda = dir.resolve("gp-worker-without-joda.jar");
        copyWithout(WORKER_JAR, withoutJoda, "org/joda/time/");
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, """
                Resources:
                  Shipped:
                    Type: AWS::Serverless::Function
                    Properties: {CodeUri: %s, Handler: "%s::handleRequest"}
                  WithoutJoda:
                    Type: AWS::Serverless::Function
                    Properties: {CodeUri: %s, Handler: "%s::handleRequest"}
                """.formatted(WORKER_JAR, handler, withoutJoda.getFileName(), handler));
        try (var functions = new LocalFunctions(SamTemplate.load(template), id -> aws.functionEnvironment(roleOf))) {
            byte[] json = EventFilesTest.eventFile(event);
            functions.invoke("Shipped", json);
            for (int attempt = 1; attempt <= 2; attempt++) { // a failed init is tried again on the next invoke
                var error = assertThrows(LocalFunctions.FunctionError.class, () -> functions.invoke("WithoutJoda", json));
                assertEquals("com.amazonaws.services.lambda.runtime.serialization.util.ReflectUtil$ReflectException", error.errorType());
                assertEquals("java.lang.ClassNotFoundException: org.joda.time.DateTime", error.getMessage());
            }
            functions.invoke("Shipped", json);
        }
    }

    @Test
    void theShippedJarsCarryJodaTimeOnlyWhereTheirEventsNeedIt() throws IOException {
        Path root = WORKER_JAR.getParent().getParent().getParent();
        assertTrue(contains(root.resolve("api/target/gp-api.jar"), "org/joda/time/DateTime.class"), "the authorizer's event");
        assertTrue(contains(WORKER_JAR, "org/joda/time/DateTime.class"), "SQSEvent, ScheduledEvent");
        assertFalse(contains(root.resolve("webhook/target/gp-webhook.jar"), "org/joda/time/DateTime.class"), "APIGatewayV2HTTPEvent needs none");
    }

    private static void copyWithout(Path jar, Path copy, String prefix) throws IOException {
        try (var in = new ZipInputStream(Files.newInputStream(jar)); var out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (entry.getName().startsWith(prefix)) continue;
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
        }
    }

    private static boolean contains(Path jar, String entry) throws IOException {
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
            return zip.getEntry(entry) != null;
        }
    }
}
