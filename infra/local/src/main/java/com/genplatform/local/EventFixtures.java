package com.genplatform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.aws.DynamoApiKeyStore;
import com.genplatform.aws.DynamoTaskStore;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.port.TaskMessage;
import com.genplatform.core.request.GenerationRequest;
import com.genplatform.providers.local.LocalProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * What an events/ file needs to do what its name says (infra/invoke does this unless {@code --as-is}): the
 * task it names exists, new, and belongs to the event's user; the sample API key is the event user's; a
 * webhook event is signed afresh (its sample timestamp is long past) for a task waiting on that callback.
 * These are the facts a deployed stack would already have; {@code sam local invoke} users need them too
 * (README says which events need a task).
 */
final class EventFixtures {
    /** The user of the samples' authorizer context and the owner of their key. */
    static final String SAMPLE_USER = "demo-user";
    static final String SAMPLE_KEY = "gp_demo-key-for-sam-local-invoke";

    record Prepared(byte[] event, List<String> notes) {}

    private final DynamoTaskStore tasks;
    private final DynamoDbClient dynamoDb;
    private final Map<String, String> env;

    /** @param dynamoDb administrator access to the stack's tables; env the function's environment (table names, secrets) */
    EventFixtures(DynamoDbClient dynamoDb, Map<String, String> env) {
        this.dynamoDb = dynamoDb;
        this.env = env;
        this.tasks = new DynamoTaskStore(dynamoDb, env.get("TASKS_TABLE"), Duration.ofDays(1));
    }

    Prepared prepare(byte[] eventBytes) {
        ObjectNode event = tree(eventBytes);
        List<String> notes = new ArrayList<>();
        if (event.has("Records")) {
            for (JsonNode record : event.get("Records")) {
                if (!"aws:sqs".equals(record.path("eventSource").asText())) continue;
                TaskMessage message = TaskMessage.fromJson(record.path("body").asText());
                notes.add(freshTask(message.taskId(), message.engine(), false));
            }
        } else if (event.has("identitySource") || event.path("type").asText().equals("REQUEST")) {
            notes.add(sampleKey());
        } else if (event.path("rawPath").asText().startsWith("/api/v3/webhooks/")) {
            String taskId = event.path("queryStringParameters").path("task").asText();
            notes.add(freshTask(taskId, Engine.IMAGE, true));
            Task waiting = tasks.find(taskId).orElseThrow();
            var delivery = LocalProvider.fromEnvironment(env).callback(waiting);
            ObjectNode headers = (ObjectNode) event.get("headers");
            delivery.headers().forEach(headers::put);
            headers.put("content-length", Integer.toString(delivery.rawBody().length));
            event.put("body", new String(delivery.rawBody(), StandardCharsets.UTF_8)).put("isBase64Encoded", false);
            notes.add("signed the webhook afresh (webhook-timestamp now)");
        } else if (event.path("pathParameters").has("id")) {
            notes.add(freshTask(event.path("pathParameters").path("id").asText(), Engine.PROMPT, false));
        }
        notes.removeIf(String::isEmpty);
        return new Prepared(event.toString().getBytes(StandardCharsets.UTF_8), notes);
    }

    /** The named task, new (or, for a webhook, waiting on the local provider's callback), whatever it was before. */
    private String freshTask(String id, Engine engine, boolean awaitingCallback) {
        dynamoDb.deleteItem(b -> b.tableName(env.get("TASKS_TABLE")).key(Map.of("id", AttributeValue.fromS(id))));
        Instant now = Instant.now();
        Task task = Task.create(id, SAMPLE_USER, GenerationRequest.parse(engine, sampleRequest(engine)), "local",
                "local-" + engine.wireName(), now);
        tasks.create(task);
        if (!awaitingCallback) return "created task " + id + " (" + engine.wireName() + ", pending) for " + SAMPLE_USER;
        task = task.startAttempt(now);
        tasks.update(task);
        tasks.update(task.withProviderTask("local-" + id + "-1", now));
        return "created task " + id + " (" + engine.wireName() + ", processing at the local provider) for " + SAMPLE_USER;
    }

    private String sampleKey() {
        try {
            new DynamoApiKeyStore(dynamoDb, env.get("API_KEYS_TABLE"), Clock.systemUTC()).store(SAMPLE_KEY, SAMPLE_USER);
            return "stored the sample API key for " + SAMPLE_USER;
        } catch (ConditionalCheckFailedException alreadyThere) {
            return "";
        }
    }

    private static JsonNode sampleRequest(Engine engine) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        return switch (engine) {
            case IMAGE -> body.put("prompt", "a sample from events/").put("size", "64x64");
            case VIDEO -> body.put("prompt", "a sample from events/").put("size", "64x64").put("duration_seconds", 1).put("fps", 4);
            case AUDIO -> body.put("text", "a sample from events");
            case PROMPT -> body.put("prompt", "a sample from events/");
        };
    }

    private static ObjectNode tree(byte[] event) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(event);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("the event is not a JSON object", e);
        }
    }
}
