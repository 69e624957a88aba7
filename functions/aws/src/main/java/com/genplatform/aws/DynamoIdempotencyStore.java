package com.genplatform.aws;

import com.genplatform.core.port.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Keys of work done, with a TTL attribute ({@code expires_at}). DynamoDB deletes expired items only
 * eventually, so reads check the expiry themselves.
 */
public final class DynamoIdempotencyStore implements IdempotencyStore {
    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public DynamoIdempotencyStore(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public boolean contains(String key) {
        var item = dynamoDb.getItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(key)))).item();
        return item != null && item.containsKey("expires_at")
                && Long.parseLong(item.get("expires_at").n()) > clock.instant().getEpochSecond();
    }

    @Override
    public java.util.Optional<String> putIfAbsent(String key, String value, Duration timeToLive) {
        long now = clock.instant().getEpochSecond();
        try {
            dynamoDb.putItem(b -> b.tableName(table)
                    .item(Map.of(
                            "id", AttributeValue.fromS(key),
                            "value", AttributeValue.fromS(value),
                            "expires_at", AttributeValue.fromN(Long.toString(now + timeToLive.toSeconds()))))
                    // An expired record (TTL deletes lazily) counts as absent.
                    .conditionExpression("attribute_not_exists(id) OR expires_at < :now")
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now)))));
            return java.util.Optional.empty();
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException taken) {
            var item = dynamoDb.getItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(key))).consistentRead(true)).item();
            return java.util.Optional.of(item.get("value").s());
        }
    }

    @Override
    public java.util.Optional<String> replace(String key, String expected, String value, Duration timeToLive) {
        long expiresAt = clock.instant().plus(timeToLive).getEpochSecond();
        try {
            dynamoDb.putItem(b -> b.tableName(table)
                    .item(Map.of(
                            "id", AttributeValue.fromS(key),
                            "value", AttributeValue.fromS(value),
                            "expires_at", AttributeValue.fromN(Long.toString(expiresAt))))
                    .conditionExpression("#value = :expected")
                    .expressionAttributeNames(Map.of("#value", "value")) // a reserved word in expressions
                    .expressionAttributeValues(Map.of(":expected", AttributeValue.fromS(expected))));
            return java.util.Optional.empty();
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException changed) {
            // Another caller replaced it first (or it expired and was deleted): settle on what is there.
            return putIfAbsent(key, value, timeToLive);
        }
    }

    @Override
    public void remember(String key, Duration timeToLive) {
        long expiresAt = clock.instant().plus(timeToLive).getEpochSecond();
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of(
                "id", AttributeValue.fromS(key),
                "expires_at", AttributeValue.fromN(Long.toString(expiresAt)))));
    }
}
