package com.genplatform.local;

import com.genplatform.aws.DynamoApiKeyStore;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code infra/issue-key --table <ApiKeysTableName> --user <user-id>}: issues an API key for a deployed
 * stack (the table name is the stack output ApiKeysTableName), with the caller's own AWS credentials and
 * region. Prints the key once; only its SHA-256 is stored.
 */
public final class IssueKey {
    private IssueKey() {}

    public static void main(String[] args) {
        String table = null;
        String user = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--table" -> table = args[i + 1];
                case "--user" -> user = args[i + 1];
                default -> { }
            }
        }
        if (table == null || user == null || !user.matches("[A-Za-z0-9_-]{1,64}")) {
            System.err.println("Usage: infra/issue-key --table <ApiKeysTableName> --user <user-id: letters, digits, _ and ->");
            System.exit(2);
        }
        try (var dynamoDb = DynamoDbClient.create()) {
            System.out.println(new DynamoApiKeyStore(dynamoDb, table, Clock.systemUTC()).issue(user));
        }
    }
}
