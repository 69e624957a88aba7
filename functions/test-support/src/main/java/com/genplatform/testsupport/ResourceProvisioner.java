package com.genplatform.testsupport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the DynamoDB tables, SQS queues and S3 buckets that template.yaml declares, on any endpoint
 * (the embedded emulators, LocalStack), and tells what each logical id resolves to there. Local names are
 * the logical ids (a bucket's in lower-case-with-dashes, as S3 requires). Existing resources are kept.
 */
public final class ResourceProvisioner {

    /** What the template's logical ids resolve to: {@code !Ref} values and {@code Fn::GetAtt} attributes. */
    public record Provisioned(Map<String, String> refs, Map<String, String> attributes) {
        /** {@code "X"} → X's Ref value; {@code "X.Arn"} → its attribute; null when unknown. */
        public String lookup(String name) {
            return name.contains(".") ? attributes.get(name) : refs.get(name);
        }
    }

    private ResourceProvisioner() {}

    public static Provisioned provision(SamTemplate template, DynamoDbClient dynamoDb, SqsClient sqs, S3Client s3) {
        Map<String, String> refs = new LinkedHashMap<>();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (var table : template.resourcesOfType("AWS::DynamoDB::Table")) {
            createTable(dynamoDb, table);
            refs.put(table.logicalId(), table.logicalId());
            attributes.put(table.logicalId() + ".Arn", "arn:aws:dynamodb:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT_ID + ":table/" + table.logicalId());
        }
        // Dead-letter queues first: the queues that redrive to them need their ARNs.
        List<SamTemplate.Resource> queues = new ArrayList<>(template.resourcesOfType("AWS::SQS::Queue"));
        queues.sort((a, b) -> Boolean.compare(a.properties().containsKey("RedrivePolicy"), b.properties().containsKey("RedrivePolicy")));
        for (var queue : queues) {
            String url = createQueue(sqs, queue, name -> attributes.get(name));
            String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            refs.put(queue.logicalId(), url);
            attributes.put(queue.logicalId() + ".Arn", arn);
            attributes.put(queue.logicalId() + ".QueueName", queue.logicalId());
            attributes.put(queue.logicalId() + ".QueueUrl", url);
        }
        for (var bucket : template.resourcesOfType("AWS::S3::Bucket")) {
            String name = bucketName(bucket.logicalId());
            createBucket(s3, name);
            refs.put(bucket.logicalId(), name);
            attributes.put(bucket.logicalId() + ".Arn", "arn:aws:s3:::" + name);
        }
        return new Provisioned(refs, attributes);
    }

    /** {@code ResultsBucket} → {@code results-bucket}. */
    public static String bucketName(String logicalId) {
        return logicalId.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static void createTable(DynamoDbClient dynamoDb, SamTemplate.Resource table) {
        List<Map<String, Object>> attributes = table.property("AttributeDefinitions");
        List<Map<String, Object>> keys = table.property("KeySchema");
        List<Map<String, Object>> indexes = table.property("GlobalSecondaryIndexes");
        try {
            dynamoDb.createTable(b -> {
                b.tableName(table.logicalId())
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(attributes.stream().map(a -> AttributeDefinition.builder()
                                .attributeName((String) a.get("AttributeName"))
                                .attributeType((String) a.get("AttributeType")).build()).toList())
                        .keySchema(keySchema(keys));
                if (indexes != null) {
                    b.globalSecondaryIndexes(indexes.stream().map(index -> GlobalSecondaryIndex.builder()
                            .indexName((String) index.get("IndexName"))
                            .keySchema(keySchema((List<Map<String, Object>>) index.get("KeySchema")))
                            .projection(Projection.builder().projectionType(
                                    (String) SamTemplate.map(index.get("Projection")).getOrDefault("ProjectionType", "ALL")).build())
                            .build()).toList());
                }
            });
        } catch (ResourceInUseException alreadyThere) {
            return; // kept from an earlier run (a data directory)
        }
        Map<String, Object> ttl = SamTemplate.map(table.properties().get("TimeToLiveSpecification"));
        if (Boolean.TRUE.equals(ttl.get("Enabled"))) {
            dynamoDb.updateTimeToLive(b -> b.tableName(table.logicalId())
                    .timeToLiveSpecification(t -> t.attributeName((String) ttl.get("AttributeName")).enabled(true)));
        }
    }

    private static List<KeySchemaElement> keySchema(List<Map<String, Object>> keys) {
        return keys.stream().map(k -> KeySchemaElement.builder()
                .attributeName((String) k.get("AttributeName"))
                .keyType((String) k.get("KeyType")).build()).toList();
    }

    private static String createQueue(SqsClient sqs, SamTemplate.Resource queue, java.util.function.Function<String, String> attributes) {
        Map<QueueAttributeName, String> settings = new HashMap<>();
        for (var name : List.of(QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                QueueAttributeName.DELAY_SECONDS, QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS)) {
            Object value = queue.properties().get(name.toString());
            if (value != null) settings.put(name, value.toString());
        }
        Map<String, Object> redrive = SamTemplate.map(queue.properties().get("RedrivePolicy"));
        if (!redrive.isEmpty()) {
            String dlqArn = SamTemplate.resolve(redrive.get("deadLetterTargetArn"), attributes::apply);
            if (dlqArn == null) throw new IllegalStateException(queue.logicalId() + "'s dead-letter queue is not in template.yaml");
            settings.put(QueueAttributeName.REDRIVE_POLICY,
                    "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":" + redrive.get("maxReceiveCount") + "}");
        }
        return sqs.createQueue(b -> b.queueName(queue.logicalId()).attributes(settings)).queueUrl();
    }

    private static void createBucket(S3Client s3, String name) {
        try {
            s3.createBucket(b -> b.bucket(name));
        } catch (BucketAlreadyOwnedByYouException alreadyThere) {
            // kept from an earlier run
        } catch (S3Exception e) {
            if (e.statusCode() != 409) throw e;
        }
    }
}
