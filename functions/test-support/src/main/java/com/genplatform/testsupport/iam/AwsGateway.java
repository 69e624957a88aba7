package com.genplatform.testsupport.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.testsupport.LocalAws;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS endpoint the functions call for DynamoDB, SQS and Secrets Manager (S3 is checked inside the S3
 * emulator, see {@link IamBlobStore}). For every request it does what AWS does before the service acts:
 * tells the caller from its signature's access key, authorises each action on each resource against the
 * caller's role, and applies the service limits the emulators do not; then it forwards the request
 * unchanged to DynamoDB Local or ElasticMQ, or answers Secrets Manager itself. Refusals use each service's
 * own error wire format, so the SDK raises the exception it raises on AWS.
 */
public final class AwsGateway implements AutoCloseable {
    /** SQS's limits (developer guide, "Amazon SQS quotas"). */
    public static final int SQS_MAX_DELAY_SECONDS = 900;
    public static final int SQS_MAX_VISIBILITY_SECONDS = 43_200;
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "transfer-encoding", "upgrade");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Iam iam;
    private final LocalSecrets secrets;
    private final URI dynamoDb;
    private final URI sqs;
    private final ToIntFunction<String> maxMessageBytes;
    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient forward = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** @param maxMessageBytes a queue's MaximumMessageSize, by queue name */
    public AwsGateway(Iam iam, LocalSecrets secrets, URI dynamoDb, URI sqs, ToIntFunction<String> maxMessageBytes) throws IOException {
        this.iam = iam;
        this.secrets = secrets;
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.maxMessageBytes = maxMessageBytes;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
            int dot = target.indexOf('.');
            String prefix = dot < 0 ? target : target.substring(0, dot);
            Service service = switch (prefix) {
                case "AmazonSQS" -> Service.SQS;
                case "secretsmanager" -> Service.SECRETS_MANAGER;
                default -> Service.DYNAMODB;
            };
            try {
                route(exchange, target, prefix, target.substring(dot + 1));
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                send(exchange, new Refusal(service, 400, "SerializationException", "the request body is not JSON"));
            } catch (IOException | RuntimeException e) {
                // Answered in the caller's own format, so its SDK retries it as the server error it is.
                if (exchange.getResponseCode() == -1) send(exchange, new Refusal(service, 500, "InternalFailure", "local gateway: " + e));
            }
        }
    }

    private void route(HttpExchange exchange, String target, String prefix, String operation) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Iam.Caller caller = iam.caller(accessKeyId(exchange.getRequestHeaders().getFirst("Authorization")));
        JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        Refusal refusal = switch (prefix) {
            case "DynamoDB_20120810" -> authorize(caller, dynamoDbCalls(operation, request));
            case "AmazonSQS" -> first(authorize(caller, sqsCalls(operation, request)), sqsLimits(operation, request));
            case "secretsmanager" -> null;
            default -> new Refusal(Service.DYNAMODB, 400, "UnknownOperationException", "unknown X-Amz-Target " + target);
        };
        if (refusal != null) {
            send(exchange, refusal);
        } else if (prefix.equals("secretsmanager")) {
            secretsManager(exchange, caller, operation, request);
        } else {
            forward(exchange, prefix.equals("AmazonSQS") ? sqs : dynamoDb, body);
        }
    }

    // ---------- what each call is, for IAM ----------

    private record Call(String action, String resource) {}

    private static List<Call> dynamoDbCalls(String operation, JsonNode request) {
        List<Call> calls = new ArrayList<>();
        switch (operation) {
            case "BatchGetItem", "BatchWriteItem" ->
                    request.path("RequestItems").fieldNames().forEachRemaining(t -> calls.add(new Call("dynamodb:" + operation, tableArn(t))));
            case "TransactWriteItems" -> request.path("TransactItems").forEach(item -> item.properties().forEach(e -> calls.add(
                    new Call("dynamodb:" + switch (e.getKey()) {
                        case "Put" -> "PutItem";
                        case "Update" -> "UpdateItem";
                        case "Delete" -> "DeleteItem";
                        default -> "ConditionCheckItem";
                    }, tableArn(e.getValue().path("TableName").asText())))));
            case "TransactGetItems" -> request.path("TransactItems").forEach(item ->
                    calls.add(new Call("dynamodb:GetItem", tableArn(item.path("Get").path("TableName").asText()))));
            case "ListTables" -> calls.add(new Call("dynamodb:ListTables", "*"));
            default -> {
                String table = tableArn(request.path("TableName").asText());
                String index = request.path("IndexName").asText("");
                calls.add(new Call("dynamodb:" + operation, index.isEmpty() ? table : table + "/index/" + index));
            }
        }
        return calls;
    }

    private static String tableArn(String table) {
        return table.startsWith("arn:") ? table : "arn:aws:dynamodb:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT_ID + ":table/" + table;
    }

    private static List<Call> sqsCalls(String operation, JsonNode request) {
        String action = "sqs:" + operation.replaceFirst("Batch$", "");
        if (operation.equals("ListQueues")) return List.of(new Call(action, "*"));
        String queue = request.has("QueueUrl") ? queueName(request.path("QueueUrl").asText()) : request.path("QueueName").asText();
        return List.of(new Call(action, "arn:aws:sqs:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT_ID + ":" + queue));
    }

    private static String queueName(String queueUrl) {
        return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }

    private Refusal authorize(Iam.Caller caller, List<Call> calls) {
        for (Call call : calls) {
            Optional<String> denied = iam.authorize(caller, call.action(), call.resource());
            if (denied.isPresent()) {
                Service service = call.action().startsWith("sqs:") ? Service.SQS : call.action().startsWith("dynamodb:") ? Service.DYNAMODB : Service.SECRETS_MANAGER;
                String code = caller instanceof Iam.Caller.Unknown
                        ? (service == Service.SQS ? "InvalidClientTokenId" : "UnrecognizedClientException")
                        : (service == Service.SQS ? "AccessDenied" : "AccessDeniedException");
                // SQS answers a denial with 403; DynamoDB and Secrets Manager with 400.
                return new Refusal(service, service == Service.SQS ? 403 : 400, code, denied.get());
            }
        }
        return null;
    }

    // ---------- limits the emulators do not apply ----------

    private Refusal sqsLimits(String operation, JsonNode request) {
        List<JsonNode> messages = new ArrayList<>();
        switch (operation) {
            case "SendMessage" -> messages.add(request);
            case "SendMessageBatch" -> request.path("Entries").forEach(messages::add);
            case "ChangeMessageVisibility" -> {
                return visibility(request.path("VisibilityTimeout").asLong());
            }
            case "ChangeMessageVisibilityBatch" -> {
                for (JsonNode entry : request.path("Entries")) {
                    Refusal refusal = visibility(entry.path("VisibilityTimeout").asLong());
                    if (refusal != null) return refusal;
                }
                return null;
            }
            default -> {
                return null;
            }
        }
        int max = maxMessageBytes.applyAsInt(queueName(request.path("QueueUrl").asText()));
        long total = 0;
        for (JsonNode message : messages) {
            long delay = message.path("DelaySeconds").asLong(0);
            if (delay < 0 || delay > SQS_MAX_DELAY_SECONDS) {
                return invalidParameter("Value " + delay + " for parameter DelaySeconds is invalid. Reason: must be between 0 and "
                        + SQS_MAX_DELAY_SECONDS + ", if provided.");
            }
            long size = messageSize(message);
            total += size;
            if (size > max) {
                return invalidParameter("One or more parameters are invalid. Reason: Message must be shorter than " + max + " bytes.");
            }
        }
        if (total > max) {
            return new Refusal(Service.SQS, 400, "BatchRequestTooLong",
                    "Batch requests cannot be longer than " + max + " bytes. You have sent " + total + " bytes.");
        }
        return null;
    }

    /** The body plus each message attribute's name, type and value, as SQS counts a message's size. */
    private static long messageSize(JsonNode message) {
        long size = message.path("MessageBody").asText().getBytes(StandardCharsets.UTF_8).length;
        var attributes = message.path("MessageAttributes").properties();
        for (var attribute : attributes) {
            JsonNode value = attribute.getValue();
            size += attribute.getKey().getBytes(StandardCharsets.UTF_8).length
                    + value.path("DataType").asText().getBytes(StandardCharsets.UTF_8).length
                    + value.path("StringValue").asText().getBytes(StandardCharsets.UTF_8).length
                    + value.path("BinaryValue").asText().length() * 3L / 4;
        }
        return size;
    }

    private static Refusal visibility(long seconds) {
        if (seconds >= 0 && seconds <= SQS_MAX_VISIBILITY_SECONDS) return null;
        return invalidParameter("Value " + seconds + " for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and "
                + SQS_MAX_VISIBILITY_SECONDS + ", if provided.");
    }

    private static Refusal invalidParameter(String message) {
        return new Refusal(Service.SQS, 400, "InvalidParameterValue", message);
    }

    private static Refusal first(Refusal a, Refusal b) {
        return a != null ? a : b;
    }

    // ---------- Secrets Manager ----------

    private void secretsManager(HttpExchange exchange, Iam.Caller caller, String operation, JsonNode request) throws IOException {
        if (!operation.equals("GetSecretValue")) {
            send(exchange, new Refusal(Service.SECRETS_MANAGER, 400, "InvalidRequestException", operation + " is not emulated locally"));
            return;
        }
        String secretId = request.path("SecretId").asText();
        var secret = secrets.find(secretId);
        String arn = secret.map(LocalSecrets.Secret::arn).orElse(LocalSecrets.arnWithoutSuffix(secretId));
        Refusal refusal = authorize(caller, List.of(new Call("secretsmanager:GetSecretValue", arn)));
        if (refusal == null && secret.isEmpty()) {
            refusal = new Refusal(Service.SECRETS_MANAGER, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        if (refusal != null) {
            send(exchange, refusal);
            return;
        }
        ObjectNode answer = JSON.createObjectNode()
                .put("ARN", secret.get().arn()).put("Name", secret.get().name()).put("VersionId", secret.get().versionId())
                .put("SecretString", secret.get().value()).put("CreatedDate", secret.get().created().getEpochSecond());
        answer.putArray("VersionStages").add("AWSCURRENT");
        respond(exchange, 200, "application/x-amz-json-1.1", Map.of(), JSON.writeValueAsBytes(answer));
    }

    // ---------- the wire ----------

    private enum Service { DYNAMODB, SQS, SECRETS_MANAGER }

    private record Refusal(Service service, int status, String code, String message) {}

    private static void send(HttpExchange exchange, Refusal refusal) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        Map<String, String> headers = Map.of();
        String contentType = "application/x-amz-json-1.0";
        switch (refusal.service()) {
            case DYNAMODB -> body.put("__type", "com.amazon.coral.service#" + refusal.code()).put("Message", refusal.message());
            case SQS -> {
                // SQS on the JSON protocol: the query-compatible code travels in x-amzn-query-error.
                String type = refusal.code().equals("AccessDenied") ? "com.amazon.coral.service#AccessDeniedException" : "com.amazonaws.sqs#" + refusal.code();
                body.put("__type", type).put("Message", refusal.message());
                String queryCode = refusal.code().equals("BatchRequestTooLong") ? "AWS.SimpleQueueService.BatchRequestTooLong" : refusal.code();
                headers = Map.of("x-amzn-query-error", queryCode + ";Sender");
            }
            case SECRETS_MANAGER -> {
                body.put("__type", refusal.code()).put("Message", refusal.message());
                contentType = "application/x-amz-json-1.1";
            }
        }
        respond(exchange, refusal.status(), contentType, headers, JSON.writeValueAsBytes(body));
    }

    private void forward(HttpExchange exchange, URI backend, byte[] body) throws IOException {
        var request = HttpRequest.newBuilder(backend.resolve(exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(60));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) values.forEach(v -> request.header(name, v));
        });
        HttpResponse<byte[]> response;
        try {
            response = forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] answer = response.body();
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, Map<String, String> headers, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static String accessKeyId(String authorization) {
        if (authorization == null) return null;
        Matcher m = CREDENTIAL.matcher(authorization);
        return m.find() ? m.group(1) : null;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        forward.close();
    }
}
