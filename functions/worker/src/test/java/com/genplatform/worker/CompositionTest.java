package com.genplatform.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.genplatform.aws.DynamoTaskStore;
import com.genplatform.aws.ProviderKeys;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.port.TaskMessage;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.LocalAwsExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The worker and sweeper composed from their template environment, as Lambda starts them. */
@ExtendWith(LocalAwsExtension.class)
class CompositionTest {

    private static Map<String, String> env(LocalAws aws, String function, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(aws.functionEnvironment(function));
        env.putAll(extra);
        return env;
    }

    /** A pending prompt task of {@code provider}, stored as the API stores it. */
    private static Task storedTask(LocalAws aws, String provider) {
        var body = Json.MAPPER.createObjectNode().put("prompt", "a lighthouse");
        Task task = Task.create(UUID.randomUUID().toString(), "u-" + UUID.randomUUID(),
                GenerationRequest.parse(Engine.PROMPT, body), provider, "gpt-4o-mini", Instant.now());
        new DynamoTaskStore(aws.dynamoDb(), aws.ref("TasksTable"), Duration.ofDays(1)).create(task);
        return task;
    }

    private static SQSEvent runMessage(Task task) {
        SQSEvent event = EventLoader.loadSQSEvent("events/sqs-prompt-run.json");
        event.getRecords().getFirst().setBody(TaskMessage.run(task.id(), task.engine()).toJson());
        return event;
    }

    @Test
    void aTaskWhoseProviderIsNotConfiguredInTheWorkerFailsWithACode(LocalAws aws) {
        var worker = new WorkerHandler(env(aws, "PromptWorkerFunction", Map.of()));
        Task task = storedTask(aws, "openai");

        var response = worker.handleRequest(runMessage(task), null);

        assertEquals(List.of(), response.getBatchItemFailures(), "retrying cannot help: the message is done with");
        Task after = new DynamoTaskStore(aws.dynamoDb(), aws.ref("TasksTable"), Duration.ofDays(1)).find(task.id()).orElseThrow();
        assertEquals(TaskStatus.FAILED, after.status());
        assertEquals(TaskError.PROVIDER_NOT_CONFIGURED, after.error().code());
        assertTrue(after.error().message().contains("provider \"openai\" is not configured (OPENAI_API_KEY is not set)"),
                after.error().message());
    }

    @Test
    void withAnUnreadableSecretTheSweeperSweepsAndTheWorkerRetriesLater(LocalAws aws) {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> unreachable = Map.of(ProviderKeys.SECRET_VARIABLE, "generation-platform/provider-keys",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:" + port, "DEFAULT_PROVIDER_IMAGE", "openai");

        var sweeper = new SweeperHandler(env(aws, "SweeperFunction", unreachable));
        var swept = sweeper.handleRequest(EventLoader.loadScheduledEvent("events/schedule-sweeper.json"), null);
        assertTrue(swept.containsKey("requeued"), String.valueOf(swept));

        var worker = new WorkerHandler(env(aws, "PromptWorkerFunction", unreachable));
        Task task = storedTask(aws, "local");
        var response = worker.handleRequest(runMessage(task), null);
        assertEquals(1, response.getBatchItemFailures().size(), "the keys may be readable on the next delivery");
        assertEquals(TaskStatus.PENDING, new DynamoTaskStore(aws.dynamoDb(), aws.ref("TasksTable"), Duration.ofDays(1))
                .find(task.id()).orElseThrow().status());
    }
}
