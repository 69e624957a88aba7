package com.genplatform.aws;

import com.genplatform.testsupport.ResourceProvisioner;
import com.genplatform.testsupport.SamTemplate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The same adapter contract on LocalStack, where a Docker engine exists; skipped (not failed) without one.
 * The image is pinned: LocalStack's {@code latest} needs an auth token since March 2026. Set
 * {@code LOCALSTACK_IMAGE} to try another tag.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackAdapterTest extends AdapterContractTest {
    static final String IMAGE = System.getenv().getOrDefault("LOCALSTACK_IMAGE", "localstack/localstack:4.0.3");

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(IMAGE).withServices("dynamodb", "sqs", "s3");

    private static Map<String, String> environment;

    @Override
    protected Map<String, String> environment() {
        synchronized (LocalStackAdapterTest.class) {
            if (environment == null) {
                environment = provision();
            }
            return environment;
        }
    }

    private static Map<String, String> provision() {
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
        Region region = Region.of(LOCALSTACK.getRegion());
        var template = SamTemplate.locate();
        ResourceProvisioner.Provisioned resources;
        try (var dynamoDb = DynamoDbClient.builder().region(region).credentialsProvider(credentials).endpointOverride(LOCALSTACK.getEndpoint()).build();
             var sqs = SqsClient.builder().region(region).credentialsProvider(credentials).endpointOverride(LOCALSTACK.getEndpoint()).build();
             var s3 = S3Client.builder().region(region).credentialsProvider(credentials).forcePathStyle(true).endpointOverride(LOCALSTACK.getEndpoint()).build()) {
            resources = ResourceProvisioner.provision(template, dynamoDb, sqs, s3);
        }
        Map<String, String> env = new LinkedHashMap<>(template.environment(null, v -> SamTemplate.resolve(v, name -> {
            String value = resources.lookup(name);
            return value != null ? value : template.parameterDefaults().getOrDefault(name, name);
        })));
        env.put("AWS_REGION", LOCALSTACK.getRegion());
        for (String service : new String[] {"DYNAMODB", "SQS", "S3"}) {
            env.put("AWS_ENDPOINT_URL_" + service, LOCALSTACK.getEndpoint().toString());
        }
        env.put("AWS_ACCESS_KEY_ID", LOCALSTACK.getAccessKey());
        env.put("AWS_SECRET_ACCESS_KEY", LOCALSTACK.getSecretKey());
        return env;
    }
}
