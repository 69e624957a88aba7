package com.genplatform.aws;

import com.genplatform.core.config.PlatformConfig;
import java.net.URI;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import java.time.Duration;

/**
 * The one place that builds AWS SDK clients: region, endpoint and credentials explicit, the light
 * URL-connection HTTP client, each client built at most once per process and only when first needed
 * (a function that never touches S3 never pays for an S3 client).
 */
public final class AwsClients {
    private final PlatformConfig config;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final Lazy<SdkHttpClient> http = new Lazy<>(() -> UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(30))
            .build());
    private final Lazy<DynamoDbClient> dynamoDb;
    private final Lazy<SqsClient> sqs;
    private final Lazy<S3Client> s3;
    private final Lazy<S3Presigner> presigner;
    private final Lazy<SecretsManagerClient> secretsManager;

    public AwsClients(PlatformConfig config) {
        this.config = config;
        this.region = Region.of(config.region());
        // Static keys when the environment has them (Lambda without SnapStart, the local stack); otherwise
        // the default chain, which finds SnapStart's container credentials or a developer's profile.
        this.credentials = config.credentials()
                .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(c.sessionToken() == null
                        ? AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())
                        : AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        var overrides = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(Duration.ofSeconds(10))
                .build();
        URI dynamoEndpoint = config.endpoints().dynamoDb();
        URI sqsEndpoint = config.endpoints().sqs();
        URI s3Endpoint = config.endpoints().s3();
        this.dynamoDb = new Lazy<>(() -> {
            var builder = DynamoDbClient.builder().region(region).credentialsProvider(credentials)
                    .httpClient(http.get()).overrideConfiguration(overrides);
            if (dynamoEndpoint != null) builder.endpointOverride(dynamoEndpoint);
            return builder.build();
        });
        this.sqs = new Lazy<>(() -> {
            var builder = SqsClient.builder().region(region).credentialsProvider(credentials)
                    .httpClient(http.get()).overrideConfiguration(overrides);
            if (sqsEndpoint != null) builder.endpointOverride(sqsEndpoint);
            return builder.build();
        });
        // Emulators serve buckets by path, not by virtual-host DNS names.
        var s3Options = S3Configuration.builder().pathStyleAccessEnabled(s3Endpoint != null).build();
        this.s3 = new Lazy<>(() -> {
            var builder = S3Client.builder().region(region).credentialsProvider(credentials)
                    .httpClient(http.get()).serviceConfiguration(s3Options);
            if (s3Endpoint != null) builder.endpointOverride(s3Endpoint);
            return builder.build();
        });
        URI secretsEndpoint = config.endpoints().secretsManager();
        // A secret is read on a request's path: bound the whole read (retries included) well inside the
        // shortest function timeout, so an unreachable Secrets Manager fails that request clearly instead of timing it out.
        var secretOverrides = overrides.toBuilder().apiCallTimeout(Duration.ofSeconds(5)).build();
        this.secretsManager = new Lazy<>(() -> {
            var builder = SecretsManagerClient.builder().region(region).credentialsProvider(credentials)
                    .httpClient(http.get()).overrideConfiguration(secretOverrides);
            if (secretsEndpoint != null) builder.endpointOverride(secretsEndpoint);
            return builder.build();
        });
        this.presigner = new Lazy<>(() -> {
            var builder = S3Presigner.builder().region(region).credentialsProvider(credentials)
                    .serviceConfiguration(s3Options);
            if (s3Endpoint != null) builder.endpointOverride(s3Endpoint);
            return builder.build();
        });
    }

    public PlatformConfig config() {
        return config;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb.get();
    }

    public SqsClient sqs() {
        return sqs.get();
    }

    public S3Client s3() {
        return s3.get();
    }

    public SecretsManagerClient secretsManager() {
        return secretsManager.get();
    }

    public S3Presigner presigner() {
        return presigner.get();
    }

    /** Thread-safe build-on-first-use. */
    private static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> factory;
        private volatile T value;

        Lazy(Supplier<T> factory) {
            this.factory = factory;
        }

        @Override
        public T get() {
            T result = value;
            if (result == null) {
                synchronized (this) {
                    result = value;
                    if (result == null) {
                        value = result = factory.get();
                    }
                }
            }
            return result;
        }
    }
}
