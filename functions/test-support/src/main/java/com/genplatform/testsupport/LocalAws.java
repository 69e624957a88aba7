package com.genplatform.testsupport;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.genplatform.testsupport.iam.AwsGateway;
import com.genplatform.testsupport.iam.Iam;
import com.genplatform.testsupport.iam.IamBlobStore;
import com.genplatform.testsupport.iam.LocalSecrets;
import com.genplatform.testsupport.iam.TemplateRoles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * AWS on this machine: DynamoDB Local, ElasticMQ (SQS) and S3Proxy (S3) started in-process on free
 * loopback ports, with the resources of template.yaml created in them. Used by the tests and by the local
 * stack; the functions reach it through the standard {@code AWS_ENDPOINT_URL_*} variables.
 */
public final class LocalAws implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    public static final String ACCESS_KEY_ID = "local";
    public static final String SECRET_ACCESS_KEY = "local-secret";
    public static final String STACK_NAME = "generation-platform-local";
    /** SQS's default MaximumMessageSize (1 MiB since 2025), for a queue whose template sets none. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_576;

    /**
     * How to run the emulators.
     *
     * @param data       where DynamoDB, S3 and SQS keep their data between runs, or null to keep nothing
     * @param enforceIam whether each function's calls are checked against its role from template.yaml
     * @param parameters stack parameter values (as {@code sam deploy --parameter-overrides}), checked as a deploy checks them
     * @param secrets    Secrets Manager secrets to create, by name
     */
    public record Settings(Path data, boolean enforceIam, Map<String, String> parameters, Map<String, String> secrets) {
        public static Settings inMemory() {
            return new Settings(null, true, Map.of(), Map.of());
        }

        public Settings withData(Path directory) {
            return new Settings(directory, enforceIam, parameters, secrets);
        }

        public Settings withIam(boolean enforce) {
            return new Settings(data, enforce, parameters, secrets);
        }

        /** Creates the secret and points the ProviderKeysSecret parameter at it. */
        public Settings withProviderKeys(String secretName, String json) {
            Map<String, String> p = new LinkedHashMap<>(parameters);
            p.put("ProviderKeysSecret", secretName);
            Map<String, String> s = new LinkedHashMap<>(secrets);
            s.put(secretName, json);
            return new Settings(data, enforceIam, p, s);
        }
    }

    private final SamTemplate template;
    private final DynamoDBProxyServer dynamoDbServer;
    /** Stops the SQS emulator: the embedded server in memory, or the persisting ElasticMQ server with a data directory. */
    private final Runnable sqsStop;
    private final S3Proxy s3Server;
    private final URI dynamoDbEndpoint;
    private final URI sqsEndpoint;
    private final URI s3Endpoint;
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final S3Client s3;
    private final ResourceProvisioner.Provisioned resources;
    private final StackValues values;
    private volatile Iam iam;
    private final LocalSecrets secrets = new LocalSecrets();
    private AwsGateway gateway;

    private LocalAws(SamTemplate template, Settings settings) throws Exception {
        // What has started, so a start that fails half-way (a template the emulation refuses) stops it again.
        List<Stoppable> started = new java.util.ArrayList<>();
        try {
            this.template = template;
            Path dataDirectory = settings.data();
            // Parameters first: a value a deploy would refuse fails before anything starts.
            var pending = new java.util.concurrent.atomic.AtomicReference<ResourceProvisioner.Provisioned>();
            this.values = new StackValues(template, settings.parameters(), name -> pending.get() == null ? null : pending.get().lookup(name));
            int dynamoPort = freePort();
            String[] dynamoArgs = dataDirectory == null
                    ? new String[] {"-inMemory", "-sharedDb", "-port", Integer.toString(dynamoPort), "-disableTelemetry"}
                    : new String[] {"-dbPath", directory(dataDirectory.resolve("dynamodb")).toString(), "-sharedDb",
                            "-port", Integer.toString(dynamoPort), "-disableTelemetry"};
            dynamoDbServer = ServerRunner.createServerFromCommandLineArgs(dynamoArgs);
            dynamoDbServer.start();
            started.add(dynamoDbServer::stop);
            dynamoDbEndpoint = URI.create("http://127.0.0.1:" + dynamoPort);

            int sqsPort = freePort();
            if (dataDirectory == null) {
                SQSRestServer sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(sqsPort)
                        .withServerAddress(new NodeAddress("http", "127.0.0.1", sqsPort, ""))
                        .withAWSRegion(REGION).withAWSAccountId(ACCOUNT_ID)
                        .start();
                sqsServer.waitUntilStarted();
                sqsStop = sqsServer::stopAndWait;
            } else {
                sqsStop = persistentSqs(sqsPort, directory(dataDirectory.resolve("sqs")));
            }
            started.add(sqsStop::run);
            sqsEndpoint = URI.create("http://127.0.0.1:" + sqsPort);

            int s3Port = freePort();
            BlobStore blobs = dataDirectory == null ? new TransientNio2BlobStore()
                    : new FilesystemNio2BlobStore(directory(dataDirectory.resolve("s3")).toString());
            s3Endpoint = URI.create("http://127.0.0.1:" + s3Port);
            s3Server = S3Proxy.builder().blobStore(blobs).endpoint(s3Endpoint)
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
                    .build();
            s3Server.setBlobStoreLocator(IamBlobStore.locator(blobs, ACCESS_KEY_ID, SECRET_ACCESS_KEY, () -> this.iam));
            s3Server.start();
            started.add(s3Server::stop);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!"STARTED".equals(s3Server.getState())) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("S3Proxy did not start");
                Thread.sleep(10);
            }

            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
            var http = UrlConnectionHttpClient.create();
            dynamoDb = DynamoDbClient.builder().region(Region.of(REGION)).credentialsProvider(credentials)
                    .httpClient(http).endpointOverride(dynamoDbEndpoint).build();
            sqs = SqsClient.builder().region(Region.of(REGION)).credentialsProvider(credentials)
                    .httpClient(http).endpointOverride(sqsEndpoint).build();
            s3 = S3Client.builder().region(Region.of(REGION)).credentialsProvider(credentials).httpClient(http)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                    .endpointOverride(s3Endpoint).build();
            resources = ResourceProvisioner.provision(template, dynamoDb, sqs, s3);
            pending.set(resources);
            iam = new Iam(TemplateRoles.read(template, values), settings.enforceIam(), ACCESS_KEY_ID);
            settings.secrets().forEach(secrets::put);
            gateway = new AwsGateway(iam, secrets, dynamoDbEndpoint, sqsEndpoint, this::maxMessageBytes);
        } catch (Exception | Error e) {
            for (Stoppable stoppable : started.reversed()) {
                try {
                    stoppable.stop();
                } catch (Exception ignored) {
                    // stopping the rest anyway
                }
            }
            throw e;
        }
    }

    /**
     * ElasticMQ's own server with its H2 message store in {@code directory}: queues and their messages (in
     * flight included) outlive a restart, as an SQS queue outlives a stopped consumer.
     */
    private static Runnable persistentSqs(int port, Path directory) throws Exception {
        var config = com.typesafe.config.ConfigFactory.parseString("""
                node-address { protocol = http, host = "127.0.0.1", port = %d, context-path = "" }
                rest-sqs { enabled = true, bind-port = %d, bind-hostname = "127.0.0.1", sqs-limits = strict }
                rest-stats { enabled = false }
                aws { region = "%s", accountId = "%s" }
                messages-storage { enabled = true, uri = "jdbc:h2:%s" }
                """.formatted(port, port, REGION, ACCOUNT_ID, directory.resolve("messages").toAbsolutePath().toString().replace("\\", "/")))
                .withFallback(com.typesafe.config.ConfigFactory.load());
        var stop = new org.elasticmq.server.ElasticMQServer(new org.elasticmq.server.config.ElasticMQServerConfig(config)).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (var probe = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("ElasticMQ did not start on port " + port);
                Thread.sleep(20);
            }
        }
        return stop::apply;
    }

    private int maxMessageBytes(String queueName) {
        var queue = template.resources().get(queueName);
        Object size = queue == null ? null : queue.properties().get("MaximumMessageSize");
        return size == null ? DEFAULT_MAX_MESSAGE_BYTES : Integer.parseInt(size.toString());
    }

    private interface Stoppable {
        void stop() throws Exception;
    }

    /** Everything in memory, IAM enforced, for template.yaml of this repository. */
    public static LocalAws start() {
        return start(SamTemplate.locate(), Settings.inMemory());
    }

    /**
     * @param dataDirectory where DynamoDB, S3 and SQS keep their data between runs, or null to keep nothing
     */
    public static LocalAws start(SamTemplate template, Path dataDirectory) {
        return start(template, Settings.inMemory().withData(dataDirectory));
    }

    public static LocalAws start(SamTemplate template, Settings settings) {
        try {
            return new LocalAws(template, settings);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the local AWS emulators did not start", e);
        }
    }

    public SamTemplate template() {
        return template;
    }

    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    /** Where functions reach DynamoDB, SQS and Secrets Manager: the gateway that applies IAM and service limits. */
    public URI gatewayEndpoint() {
        return gateway.endpoint();
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    /** The local value of {@code !Ref logicalId} (table name, queue URL, bucket name). */
    public String ref(String logicalId) {
        String value = resources.refs().get(logicalId);
        if (value == null) throw new IllegalArgumentException("template.yaml creates no local " + logicalId);
        return value;
    }

    /** {@code "X"} or {@code "X.Attribute"} as the template would resolve it, locally; pseudo parameters and parameters included. */
    public String lookup(String name) {
        int dot = name.indexOf('.');
        return values.string(dot < 0 ? Map.of("Ref", name) : Map.of("Fn::GetAtt", List.of(name.substring(0, dot), name.substring(dot + 1))));
    }

    /** The template's values for this stack: parameters, conditions, intrinsic functions. */
    public StackValues values() {
        return values;
    }

    /** Local IAM: each function's role, and every decision made. */
    public Iam iam() {
        return iam;
    }

    /** Secrets Manager's secrets (put a new value to rotate one). */
    public LocalSecrets secrets() {
        return secrets;
    }

    /**
     * A function's environment from template.yaml (Globals and its own variables, resolved locally) plus
     * the endpoints and credentials of these emulators. A null function id gives the Globals only.
     */
    public Map<String, String> functionEnvironment(String functionId) {
        Map<String, String> env = new LinkedHashMap<>(template.environment(functionId, values::string));
        env.put("AWS_REGION", REGION);
        env.put("AWS_DEFAULT_REGION", REGION);
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionId == null ? "" : functionId);
        env.put("AWS_ENDPOINT_URL_S3", s3Endpoint.toString());
        if (functionId == null) {
            // No function: the administrator's direct access (adapter tests, tools).
            env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint.toString());
            env.put("AWS_ENDPOINT_URL_SQS", sqsEndpoint.toString());
            env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", gateway.endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
            env.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
            return env;
        }
        // A function: its own role's credentials, through the gateway that authorises every call.
        env.put("AWS_ENDPOINT_URL_DYNAMODB", gateway.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SQS", gateway.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", gateway.endpoint().toString());
        env.putAll(credentials(functionId));
        return env;
    }

    /**
     * The function's own keys, as environment variables. Lambda hands out a role session with a token;
     * here there is none, because S3Proxy refuses requests that carry {@code x-amz-security-token}.
     */
    public Map<String, String> credentials(String functionId) {
        if (!iam.roles().containsKey(functionId)) throw new IllegalArgumentException("template.yaml has no function " + functionId);
        return Map.of("AWS_ACCESS_KEY_ID", Iam.accessKeyId(functionId), "AWS_SECRET_ACCESS_KEY", Iam.secretAccessKey(functionId));
    }

    /** An SQS client acting as the function (what its event source mapping uses to receive and delete). */
    public SqsClient sqsAs(String functionId) {
        Map<String, String> keys = credentials(functionId);
        return SqsClient.builder().region(Region.of(REGION)).endpointOverride(gateway.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        keys.get("AWS_ACCESS_KEY_ID"), keys.get("AWS_SECRET_ACCESS_KEY"))))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Clients on these emulators, for tests and tools (functions build their own from the environment). */
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public S3Client s3() {
        return s3;
    }

    public S3Presigner presigner() {
        return S3Presigner.builder().region(Region.of(REGION)).endpointOverride(s3Endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    /** Empties every queue of the template (between tests that count messages). */
    public void purgeQueues() {
        for (var queue : template.resourcesOfType("AWS::SQS::Queue")) {
            sqs.purgeQueue(b -> b.queueUrl(ref(queue.logicalId())));
        }
    }

    @Override
    public void close() {
        gateway.close();
        dynamoDb.close();
        sqs.close();
        s3.close();
        try {
            s3Server.stop();
        } catch (Exception e) {
            // stopping anyway
        }
        sqsStop.run();
        try {
            dynamoDbServer.stop();
        } catch (Exception e) {
            // stopping anyway
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory(Path path) throws IOException {
        return Files.createDirectories(path);
    }
}
