package com.genplatform.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The emulators hold exactly what template.yaml declares, and functions see the template's environment. */
@ExtendWith(LocalAwsExtension.class)
class LocalAwsTest {

    @Test
    void tablesHaveTheTemplatesKeysIndexesAndTimeToLive(LocalAws aws) {
        var tasks = aws.dynamoDb().describeTable(b -> b.tableName(aws.ref("TasksTable"))).table();
        assertEquals("id", tasks.keySchema().getFirst().attributeName());
        var index = tasks.globalSecondaryIndexes().stream().filter(i -> i.indexName().equals("by_user")).findFirst().orElseThrow();
        var unfinished = tasks.globalSecondaryIndexes().stream().filter(i -> i.indexName().equals("unfinished")).findFirst().orElseThrow();
        assertEquals("updated_key", unfinished.keySchema().get(1).attributeName());
        assertEquals("user_id", index.keySchema().get(0).attributeName());
        assertEquals("created_key", index.keySchema().get(1).attributeName());
        var ttl = aws.dynamoDb().describeTimeToLive(b -> b.tableName(aws.ref("TasksTable"))).timeToLiveDescription();
        assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
        assertEquals("expires_at", ttl.attributeName());
        assertEquals("key_hash", aws.dynamoDb().describeTable(b -> b.tableName(aws.ref("ApiKeysTable"))).table()
                .keySchema().getFirst().attributeName());
    }

    @Test
    void everyEngineQueueRedrivesToItsOwnDeadLetterQueue(LocalAws aws) {
        var template = aws.template();
        for (String engine : new String[] {"Image", "Video", "Audio", "Prompt"}) {
            var declared = template.resources().get(engine + "Queue");
            var attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(aws.ref(engine + "Queue"))
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            assertEquals(declared.property("VisibilityTimeout").toString(), attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));
            String redrive = attributes.get(QueueAttributeName.REDRIVE_POLICY);
            assertTrue(redrive.contains(aws.lookup(engine + "DeadLetterQueue.Arn")), redrive);
            assertTrue(redrive.contains("\"maxReceiveCount\":5"), redrive);
        }
    }

    @Test
    void functionsGetTheTemplatesEnvironmentWithLocalValues(LocalAws aws) {
        Map<String, String> env = aws.functionEnvironment("ImageWorkerFunction");
        assertEquals("TasksTable", env.get("TASKS_TABLE"));
        assertEquals(aws.ref("ImageQueue"), env.get("IMAGE_QUEUE_URL"));
        assertTrue(env.get("IMAGE_QUEUE_URL").startsWith(aws.sqsEndpoint().toString()), env.get("IMAGE_QUEUE_URL"));
        assertEquals("results-bucket", env.get("RESULTS_BUCKET"));
        assertEquals("30", env.get("TASK_RETENTION_DAYS")); // a parameter's default
        assertEquals("300", env.get("WORKER_TIMEOUT_SECONDS")); // the function's own variable
        // Its calls go through the IAM gateway, signed with its own role's keys.
        assertEquals(aws.gatewayEndpoint().toString(), env.get("AWS_ENDPOINT_URL_DYNAMODB"));
        assertEquals(aws.credentials("ImageWorkerFunction").get("AWS_ACCESS_KEY_ID"), env.get("AWS_ACCESS_KEY_ID"));
        assertNotEquals(aws.credentials("ApiFunction").get("AWS_ACCESS_KEY_ID"), env.get("AWS_ACCESS_KEY_ID"));
        assertEquals(aws.dynamoDbEndpoint().toString(), aws.functionEnvironment(null).get("AWS_ENDPOINT_URL_DYNAMODB"));
        assertTrue(aws.functionEnvironment(null).get("WORKER_TIMEOUT_SECONDS") == null);
        assertTrue(aws.s3().headBucket(b -> b.bucket("results-bucket")).sdkHttpResponse().isSuccessful());
    }

    @Test
    void withADataDirectoryQueuedMessagesOutliveARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data) {
        String body = "{\"kept\": \"" + java.util.UUID.randomUUID() + "\"}";
        try (var first = LocalAws.start(SamTemplate.locate(), data)) {
            first.sqs().sendMessage(b -> b.queueUrl(first.ref("PromptQueue")).messageBody(body));
        }
        try (var second = LocalAws.start(SamTemplate.locate(), data)) {
            var messages = second.sqs().receiveMessage(b -> b.queueUrl(second.ref("PromptQueue")).waitTimeSeconds(2)).messages();
            assertEquals(1, messages.size());
            assertEquals(body, messages.getFirst().body());
        }
    }
}
