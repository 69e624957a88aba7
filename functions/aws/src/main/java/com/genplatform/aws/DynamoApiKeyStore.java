package com.genplatform.aws;

import com.genplatform.core.port.ApiKeyStore;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** API keys by the SHA-256 of the key; the plain key is never written anywhere. */
public final class DynamoApiKeyStore implements ApiKeyStore {
    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public DynamoApiKeyStore(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Optional<String> userFor(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) return Optional.empty();
        var item = dynamoDb.getItem(b -> b.tableName(table)
                .key(Map.of("key_hash", AttributeValue.fromS(ApiKeyStore.hash(apiKey))))).item();
        return item == null || !item.containsKey("user_id") ? Optional.empty() : Optional.of(item.get("user_id").s());
    }

    @Override
    public String issue(String userId) {
        String key = ApiKeyStore.newKey();
        store(key, userId);
        return key;
    }

    /** Stores a key chosen elsewhere (the sample key of events/, for local runs); refuses one already stored. */
    public void store(String key, String userId) {
        dynamoDb.putItem(b -> b.tableName(table)
                .item(Map.of(
                        "key_hash", AttributeValue.fromS(ApiKeyStore.hash(key)),
                        "user_id", AttributeValue.fromS(userId),
                        "created_at", AttributeValue.fromS(clock.instant().toString())))
                .conditionExpression("attribute_not_exists(key_hash)"));
    }
}
