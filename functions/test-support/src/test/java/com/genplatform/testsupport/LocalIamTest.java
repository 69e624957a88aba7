package com.genplatform.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * A function's AWS calls as the local stack sees them: signed with its own keys, authorised against its role
 * from template.yaml, refused with the exception the SDK raises on AWS, and held to the services' limits.
 */
@ExtendWith(LocalAwsExtension.class)
class LocalIamTest {
    private final LocalAws aws;

    LocalIamTest(LocalAws aws) {
        this.aws = aws;
    }

    private StaticCredentialsProvider keysOf(String functionId) {
        Map<String, String> env = aws.functionEnvironment(functionId);
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")));
    }

    private DynamoDbClient dynamoDbAs(String functionId) {
        return DynamoDbClient.builder().region(Region.of(LocalAws.REGION)).credentialsProvider(keysOf(functionId))
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(URI.create(aws.functionEnvironment(functionId).get("AWS_ENDPOINT_URL_DYNAMODB"))).build();
    }

    private S3Client s3As(String functionId) {
        return S3Client.builder().region(Region.of(LocalAws.REGION)).credentialsProvider(keysOf(functionId))
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(aws.s3Endpoint())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    }

    @Test
    void aCallTheRoleAllowsGoesThroughAndOneItDoesNotIsAccessDeniedNamingFunctionActionAndResource() {
        Map<String, AttributeValue> key = Map.of("key_hash", AttributeValue.fromS("nobody-" + UUID.randomUUID()));
        try (var authorizer = dynamoDbAs("AuthorizerFunction")) {
            assertTrue(authorizer.getItem(b -> b.tableName(aws.ref("ApiKeysTable")).key(key)).item().isEmpty());
            var denied = assertThrows(DynamoDbException.class,
                    () -> authorizer.putItem(b -> b.tableName(aws.ref("ApiKeysTable")).item(key)));
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            assertEquals(400, denied.statusCode());
            assertTrue(denied.getMessage().contains("assumed-role/" + LocalAws.STACK_NAME + "-AuthorizerFunctionRole/AuthorizerFunction"), denied.getMessage());
            assertTrue(denied.getMessage().contains("dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/ApiKeysTable"), denied.getMessage());
        }
        assertTrue(aws.iam().decisions().stream().anyMatch(d -> d.functionId().equals("AuthorizerFunction")
                && d.action().equals("dynamodb:PutItem") && !d.allowed()));
    }

    @Test
    void s3ChecksTheSignersRole() {
        String objectKey = "results/iam-test/" + UUID.randomUUID() + "/0.txt";
        try (var worker = s3As("ImageWorkerFunction"); var authorizer = s3As("AuthorizerFunction")) {
            worker.putObject(b -> b.bucket(aws.ref("ResultsBucket")).key(objectKey), RequestBody.fromString("made by the worker"));
            var denied = assertThrows(S3Exception.class,
                    () -> authorizer.getObjectAsBytes(b -> b.bucket(aws.ref("ResultsBucket")).key(objectKey)));
            assertEquals(403, denied.statusCode());
            assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
            assertTrue(denied.getMessage().contains("s3:GetObject on resource: arn:aws:s3:::results-bucket/" + objectKey), denied.getMessage());
            // Outside results/ even the worker may not write.
            assertThrows(S3Exception.class, () -> worker.putObject(b -> b.bucket(aws.ref("ResultsBucket")).key("elsewhere.txt"), RequestBody.fromString("x")));
        }
    }

    @Test
    void sqsDenialsAreTheSdksAccessDenied() {
        try (var sweeper = SqsClient.builder().region(Region.of(LocalAws.REGION)).credentialsProvider(keysOf("SweeperFunction"))
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(aws.gatewayEndpoint()).build()) {
            // The sweeper only sends to the engine queues; it has no event source, so it may not receive.
            var denied = assertThrows(SqsException.class, () -> sweeper.receiveMessage(b -> b.queueUrl(aws.ref("ImageQueue"))));
            assertEquals(403, denied.statusCode());
            assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
            assertThrows(SqsException.class, () -> sweeper.sendMessage(b -> b.queueUrl(aws.ref("ImageDeadLetterQueue")).messageBody("{}")));
        }
    }

    @Test
    void sqsLimitsAreTheServicesOwn() {
        try (SqsClient api = aws.sqsAs("ImageWorkerFunction")) {
            sqsLimits(api, aws.ref("ImageQueue"));
        }
    }

    private static void sqsLimits(SqsClient api, String queue) {
        var tooLong = assertThrows(SqsException.class,
                () -> api.sendMessage(b -> b.queueUrl(queue).messageBody("x".repeat(LocalAws.DEFAULT_MAX_MESSAGE_BYTES + 1))));
        assertEquals("InvalidParameterValue", tooLong.awsErrorDetails().errorCode());
        var tooLate = assertThrows(SqsException.class, () -> api.sendMessage(b -> b.queueUrl(queue).messageBody("{}").delaySeconds(901)));
        assertEquals("InvalidParameterValue", tooLate.awsErrorDetails().errorCode());
        var message = api.sendMessage(b -> b.queueUrl(queue).messageBody("{}").delaySeconds(0));
        var received = api.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages();
        assertEquals(1, received.size());
        assertEquals(message.messageId(), received.getFirst().messageId());
        var tooLongHidden = assertThrows(SqsException.class, () -> api.changeMessageVisibility(b -> b.queueUrl(queue)
                .receiptHandle(received.getFirst().receiptHandle()).visibilityTimeout(43_201)));
        assertEquals("InvalidParameterValue", tooLongHidden.awsErrorDetails().errorCode());
        api.deleteMessage(b -> b.queueUrl(queue).receiptHandle(received.getFirst().receiptHandle()));
    }

    @Test
    void aDynamoDbItemOver400KbIsRefused() {
        try (var api = dynamoDbAs("ApiFunction")) {
            var tooBig = assertThrows(DynamoDbException.class, () -> api.putItem(b -> b.tableName(aws.ref("TasksTable")).item(Map.of(
                    "id", AttributeValue.fromS("too-big-" + UUID.randomUUID()), "blob", AttributeValue.fromS("x".repeat(400 * 1024))))));
            assertEquals("ValidationException", tooBig.awsErrorDetails().errorCode());
            assertTrue(tooBig.getMessage().contains("Item size has exceeded the maximum allowed size"), tooBig.getMessage());
        }
    }

    @Test
    void secretsAreReadThroughSecretsManagerWithTheRolesPermission() {
        String name = "iam-test/" + UUID.randomUUID();
        try (var withSecret = LocalAws.start(aws.template(), LocalAws.Settings.inMemory().withProviderKeys(name, "{\"OPENAI_API_KEY\": \"sk-1\"}"))) {
            var env = withSecret.functionEnvironment("ImageWorkerFunction");
            try (var worker = secretsManagerAs(withSecret, "ImageWorkerFunction"); var authorizer = secretsManagerAs(withSecret, "AuthorizerFunction")) {
                assertEquals(name, env.get("PROVIDER_KEYS_SECRET"));
                assertEquals("{\"OPENAI_API_KEY\": \"sk-1\"}", worker.getSecretValue(b -> b.secretId(name)).secretString());
                withSecret.secrets().put(name, "{\"OPENAI_API_KEY\": \"sk-2\"}");
                assertEquals("{\"OPENAI_API_KEY\": \"sk-2\"}", worker.getSecretValue(b -> b.secretId(name)).secretString(), "a rotation is seen at once");
                var denied = assertThrows(SecretsManagerException.class, () -> authorizer.getSecretValue(b -> b.secretId(name)));
                assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            }
        }
    }

    @Test
    void aSecretGivenAsAnArnIsRefusedAsTheTemplatesAllowedPatternRefusesIt() {
        var refused = assertThrows(IllegalArgumentException.class, () -> LocalAws.start(aws.template(), LocalAws.Settings.inMemory()
                .withProviderKeys("arn:aws:secretsmanager:us-east-1:000000000000:secret:keys-AbCdEf", "{}")));
        assertTrue(refused.getMessage().contains("ProviderKeysSecret"), refused.getMessage());
    }

    @Test
    void aMissingObjectIs403ToARoleThatMayNotListTheBucket() {
        try (var worker = s3As("ImageWorkerFunction")) {
            var denied = assertThrows(S3Exception.class,
                    () -> worker.getObjectAsBytes(b -> b.bucket(aws.ref("ResultsBucket")).key("results/none/" + UUID.randomUUID())));
            assertEquals(403, denied.statusCode(), "S3 hides whether a key exists from a caller without s3:ListBucket");
            assertThrows(S3Exception.class, () -> worker.deleteBucket(b -> b.bucket(aws.ref("ResultsBucket"))));
        }
        assertTrue(aws.s3().headBucket(b -> b.bucket(aws.ref("ResultsBucket"))).sdkHttpResponse().isSuccessful());
    }

    @Test
    void parameterValuesAreCheckedAsADeployChecksThem() {
        var tooFew = assertThrows(IllegalArgumentException.class, () -> new StackValues(aws.template(), Map.of("ResultRetentionDays", "0"), n -> null));
        assertTrue(tooFew.getMessage().contains("'ResultRetentionDays' must be a number not less than 1"), tooFew.getMessage());
        var notANumber = assertThrows(IllegalArgumentException.class, () -> new StackValues(aws.template(), Map.of("ResultRetentionDays", "a month"), n -> null));
        assertTrue(notANumber.getMessage().contains("must be a number"), notANumber.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> new StackValues(aws.template(), Map.of("NoSuchParameter", "x"), n -> null));
        assertTrue(unknown.getMessage().contains("do not exist in the template"), unknown.getMessage());
    }

    @Test
    void aPolicyIamWouldRejectIsRefusedNotAllowed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        for (String effect : new String[] {"Alow", "deny"}) {
            var file = java.nio.file.Files.writeString(dir.resolve(effect + ".yaml"), """
                    Resources:
                      F:
                        Type: AWS::Serverless::Function
                        Properties:
                          Handler: x.Y::handleRequest
                          Policies:
                            - Statement:
                                - Effect: %s
                                  Action: s3:GetObject
                                  Resource: "*"
                    """.formatted(effect));
            var template = SamTemplate.load(file);
            var refused = assertThrows(IllegalArgumentException.class,
                    () -> com.genplatform.testsupport.iam.TemplateRoles.read(template, new StackValues(template, Map.of(), n -> null)));
            assertTrue(refused.getMessage().contains("Effect must be Allow or Deny"), refused.getMessage());
        }
    }

    private static SecretsManagerClient secretsManagerAs(LocalAws aws, String functionId) {
        Map<String, String> env = aws.functionEnvironment(functionId);
        return SecretsManagerClient.builder().region(Region.of(LocalAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_SECRETS_MANAGER"))).build();
    }
}
