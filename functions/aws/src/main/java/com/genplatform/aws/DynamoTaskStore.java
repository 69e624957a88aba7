package com.genplatform.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.TaskError;
import com.genplatform.core.TaskOutput;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.error.PlatformException;
import com.genplatform.core.port.TaskPage;
import com.genplatform.core.port.TaskQuery;
import com.genplatform.core.port.TaskStore;
import com.genplatform.core.request.GenerationRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Tasks in one DynamoDB table keyed by {@code id}. Lists use the {@code by_user} index
 * ({@code user_id}, {@code created_key}), so a user's tasks come newest first from a Query, never a Scan.
 * Every write is conditional: create on the id being free, update on the stored version.
 */
public final class DynamoTaskStore implements TaskStore {
    static final String USER_INDEX = "by_user";
    /** Sparse: only unfinished tasks carry its keys, so it holds exactly the tasks a sweep may need to revive. */
    static final String UNFINISHED_INDEX = "unfinished";
    /** Filtered lists read at most this many index pages per call, then hand the caller a cursor. */
    private static final int MAX_PAGES_PER_LIST = 10;
    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_CURSOR_LENGTH = 1024;
    private static final TypeReference<List<TaskOutput>> OUTPUTS = new TypeReference<>() {};

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Duration retention;

    public DynamoTaskStore(DynamoDbClient dynamoDb, String table, Duration retention) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.retention = retention;
    }

    @Override
    public void create(Task task) {
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(toItem(task))
                    .conditionExpression("attribute_not_exists(id)"));
        } catch (ConditionalCheckFailedException e) {
            throw PlatformException.conflict("A task with id " + task.id() + " already exists.");
        }
    }

    @Override
    public Optional<Task> find(String taskId) {
        // Consistent: a transition must decide on the latest state, not on a replica's.
        var item = dynamoDb.getItem(b -> b.tableName(table).key(Map.of("id", s(taskId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public boolean update(Task next) {
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(toItem(next))
                    .conditionExpression("version = :expected")
                    .expressionAttributeValues(Map.of(":expected", n(next.version() - 1))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public TaskPage list(TaskQuery query) {
        int limit = Math.clamp(query.limit(), 1, TaskQuery.MAX_LIMIT);
        Map<String, String> names = new HashMap<>(Map.of("#user", "user_id"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":user", s(query.userId())));
        List<String> filters = new ArrayList<>();
        if (query.engine() != null) {
            names.put("#engine", "engine");
            values.put(":engine", s(query.engine().wireName()));
            filters.add("#engine = :engine");
        }
        if (query.status() != null) {
            names.put("#status", "status");
            values.put(":status", s(query.status().wireName()));
            filters.add("#status = :status");
        }
        Map<String, AttributeValue> start = decodeCursor(query.cursor(), query.userId());
        List<Task> items = new ArrayList<>();
        for (int page = 0; page < MAX_PAGES_PER_LIST; page++) {
            var request = QueryRequest.builder().tableName(table).indexName(USER_INDEX)
                    .keyConditionExpression("#user = :user")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    // A filter drops items after the limit is applied, so read further ahead when filtering.
                    .limit(filters.isEmpty() ? limit - items.size() + 1 : Math.max(limit, 50))
                    .exclusiveStartKey(start);
            if (!filters.isEmpty()) request.filterExpression(String.join(" AND ", filters));
            QueryResponse response = dynamoDb.query(request.build());
            for (var item : response.items()) {
                if (items.size() == limit) {
                    // More matches exist beyond this page: continue after the last one returned.
                    return new TaskPage(items, encodeCursor(items.getLast()));
                }
                items.add(fromItem(item));
            }
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                return new TaskPage(items, null);
            }
            start = response.lastEvaluatedKey();
        }
        // Read budget spent with the page not full: the caller continues from where reading stopped.
        return new TaskPage(items, encodeCursor(start));
    }

    @Override
    public List<Task> unfinishedSince(Instant before, int limit) {
        var response = dynamoDb.query(b -> b.tableName(table).indexName(UNFINISHED_INDEX)
                .keyConditionExpression("unfinished = :u AND updated_key < :before")
                .expressionAttributeValues(Map.of(":u", s("unfinished"), ":before", s(SORTABLE.format(before))))
                .scanIndexForward(true)
                .limit(limit));
        return response.items().stream().map(DynamoTaskStore::fromItem).toList();
    }

    private Map<String, AttributeValue> toItem(Task task) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(task.id()));
        item.put("user_id", s(task.userId()));
        item.put("created_key", s(createdKey(task.createdAt(), task.id())));
        item.put("engine", s(task.engine().wireName()));
        item.put("request", s(task.request().toJson().toString()));
        item.put("status", s(task.status().wireName()));
        item.put("attempts", n(task.attempts()));
        item.put("outputs", s(write(task.outputs())));
        item.put("created_at", s(task.createdAt().toString()));
        item.put("updated_at", s(task.updatedAt().toString()));
        item.put("version", n(task.version()));
        item.put("expires_at", n(task.createdAt().plus(retention).getEpochSecond()));
        if (!task.isTerminal()) {
            item.put("unfinished", s("unfinished"));
            item.put("updated_key", s(createdKey(task.updatedAt(), task.id())));
        }
        putIfPresent(item, "provider", task.provider());
        putIfPresent(item, "model", task.model());
        putIfPresent(item, "provider_task_id", task.providerTaskId());
        if (task.progress() != null) item.put("progress", n(task.progress()));
        if (task.error() != null) {
            item.put("error_code", s(task.error().code()));
            item.put("error_message", s(task.error().message()));
        }
        if (task.startedAt() != null) item.put("started_at", s(task.startedAt().toString()));
        if (task.completedAt() != null) item.put("completed_at", s(task.completedAt().toString()));
        return item;
    }

    private static Task fromItem(Map<String, AttributeValue> item) {
        Engine engine = Engine.fromWireName(item.get("engine").s()).orElseThrow();
        try {
            GenerationRequest request = GenerationRequest.stored(engine, Json.MAPPER.readTree(item.get("request").s()));
            List<TaskOutput> outputs = Json.MAPPER.readValue(item.get("outputs").s(), OUTPUTS);
            TaskError error = item.containsKey("error_code")
                    ? new TaskError(item.get("error_code").s(), text(item, "error_message"))
                    : null;
            return new Task(
                    item.get("id").s(),
                    item.get("user_id").s(),
                    engine,
                    text(item, "provider"),
                    text(item, "model"),
                    request,
                    TaskStatus.fromWireName(item.get("status").s()).orElseThrow(),
                    item.containsKey("progress") ? Integer.valueOf(item.get("progress").n()) : null,
                    text(item, "provider_task_id"),
                    Integer.parseInt(item.get("attempts").n()),
                    error,
                    outputs,
                    instant(item, "created_at"),
                    instant(item, "started_at"),
                    instant(item, "completed_at"),
                    instant(item, "updated_at"),
                    Long.parseLong(item.get("version").n()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored task " + item.get("id").s() + " is unreadable", e);
        }
    }

    /** Fixed-width UTC instant then the id: sorts by creation time, and is unique. */
    static String createdKey(Instant createdAt, String id) {
        return SORTABLE.format(createdAt) + "#" + id;
    }

    private static String encodeCursor(Task last) {
        return encode(last.id(), createdKey(last.createdAt(), last.id()));
    }

    private static String encodeCursor(Map<String, AttributeValue> key) {
        return encode(key.get("id").s(), key.get("created_key").s());
    }

    private static String encode(String id, String createdKey) {
        String json = Json.MAPPER.createObjectNode().put("id", id).put("k", createdKey).toString();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor names only a position; the user always comes from the caller, never from the cursor. */
    private static Map<String, AttributeValue> decodeCursor(String cursor, String userId) {
        if (cursor == null || cursor.isBlank()) return null;
        try {
            // Ours are about 120 characters. A longer one may name keys past DynamoDB's limits (hash key 2048
            // bytes, range key 1024), which DynamoDB refuses as a service error (DynamoDB Local does not check);
            // 1024 base64 characters decode to at most 768 bytes, within both.
            if (cursor.length() > MAX_CURSOR_LENGTH) throw new IllegalArgumentException();
            var json = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(cursor));
            String id = json.path("id").asText(null);
            String createdKey = json.path("k").asText(null);
            if (id == null || createdKey == null || !createdKey.endsWith("#" + id)) throw new IllegalArgumentException();
            return Map.of("id", s(id), "created_key", s(createdKey), "user_id", s(userId));
        } catch (RuntimeException | java.io.IOException e) {
            throw PlatformException.validation(List.of(new FieldError("cursor",
                    "is not a cursor this API returned; pass next_cursor from the previous page unchanged")));
        }
    }

    private static String write(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) item.put(name, s(value));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = text(item, name);
        return value == null ? null : Instant.parse(value);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
