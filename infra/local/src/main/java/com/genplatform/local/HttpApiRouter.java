package com.genplatform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.testsupport.SamTemplate;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API Gateway's HTTP API, as template.yaml declares it: matches a request to a route, runs the route's
 * Lambda authorizer first (identity header missing: 401; not authorized: 403, as API Gateway answers),
 * builds the payload-v2 event as JSON (headers, path and query parameters, the authorizer's context, base64
 * for binary bodies) and turns the function's JSON answer into the HTTP reply. Its limits: a body over
 * 10 MB is refused (413); an integration that fails or answers what is not a payload-v2 response is a 500,
 * and one that takes over 30 seconds a 503, each with API Gateway's own body.
 */
public final class HttpApiRouter {
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    public static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** An HTTP request as it arrived; header names in any case, repeated values joined by commas. */
    public record Request(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body, String sourceIp) {}

    /** The HTTP reply. */
    public record Reply(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    record Route(String method, String path, Pattern pattern, List<String> parameters, String functionId, boolean authorized) {
        String routeKey() {
            return method + " " + path;
        }
    }

    /** API Gateway's own answer instead of the integration's. */
    private static final class GatewayReply extends RuntimeException {
        final Reply reply;

        GatewayReply(int status, String message) {
            super(message, null, false, false);
            this.reply = json(status, "{\"message\":\"" + message + "\"}");
        }
    }

    private final LocalFunctions functions;
    private final Duration integrationTimeout;
    private final List<Route> routes = new ArrayList<>();
    private final String authorizerFunction;
    private final List<String> identityHeaders;

    public HttpApiRouter(SamTemplate template, LocalFunctions functions) {
        this(template, functions, INTEGRATION_TIMEOUT);
    }

    /** @param integrationTimeout how long API Gateway waits for a function (30 s; shorter in tests) */
    public HttpApiRouter(SamTemplate template, LocalFunctions functions, Duration integrationTimeout) {
        this.functions = functions;
        this.integrationTimeout = integrationTimeout;
        var api = template.resourcesOfType("AWS::Serverless::HttpApi").stream().findFirst().orElse(null);
        Map<String, Object> auth = api == null ? Map.of() : SamTemplate.map(api.properties().get("Auth"));
        String defaultAuthorizer = (String) auth.get("DefaultAuthorizer");
        Map<String, Object> authorizer = SamTemplate.map(SamTemplate.map(auth.get("Authorizers")).get(defaultAuthorizer));
        this.authorizerFunction = defaultAuthorizer == null ? null
                : SamTemplate.resolve(authorizer.get("FunctionArn"), name -> name.substring(0, name.indexOf('.')));
        @SuppressWarnings("unchecked")
        List<String> headers = (List<String>) SamTemplate.map(authorizer.get("Identity")).getOrDefault("Headers", List.of());
        this.identityHeaders = headers;
        for (var definition : functions.definitions().values()) {
            definition.events().values().forEach(value -> {
                Map<String, Object> event = SamTemplate.map(value);
                if (!"HttpApi".equals(event.get("Type"))) return;
                Map<String, Object> properties = SamTemplate.map(event.get("Properties"));
                String method = properties.get("Method").toString().toUpperCase(Locale.ROOT);
                String path = properties.get("Path").toString();
                boolean open = "NONE".equals(SamTemplate.map(properties.get("Auth")).get("Authorizer"));
                routes.add(route(method, path, definition.logicalId(), !open && authorizerFunction != null));
            });
        }
        // API Gateway prefers the most specific route: literal segments before parameters.
        routes.sort(Comparator.comparingInt((Route r) -> r.parameters().size()).thenComparing(r -> -r.path().length()));
    }

    public List<String> routeKeys() {
        return routes.stream().map(Route::routeKey).toList();
    }

    public Reply handle(Request request) {
        try {
            return route(request);
        } catch (GatewayReply e) {
            return e.reply;
        }
    }

    private Reply route(Request request) {
        byte[] body = request.body() == null ? new byte[0] : request.body();
        if (body.length > MAX_BODY_BYTES) {
            throw new GatewayReply(413, "Request Entity Too Large");
        }
        String path = request.rawPath();
        Route route = null;
        Matcher match = null;
        for (Route candidate : routes) {
            Matcher m = candidate.pattern().matcher(path);
            if (m.matches() && (candidate.method().equals(request.method()) || candidate.method().equals("ANY"))) {
                route = candidate;
                match = m;
                break;
            }
        }
        if (route == null) {
            throw new GatewayReply(404, "Not Found");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        Map<String, String> pathParameters = new LinkedHashMap<>();
        for (int i = 0; i < route.parameters().size(); i++) {
            pathParameters.put(route.parameters().get(i), URLDecoder.decode(match.group(i + 1), StandardCharsets.UTF_8));
        }
        Map<String, String> query = query(request.rawQuery());
        String requestId = UUID.randomUUID().toString();
        Instant now = Instant.now();

        ObjectNode context = JSON.createObjectNode()
                .put("accountId", "000000000000")
                .put("apiId", "local")
                .put("domainName", headers.getOrDefault("host", "127.0.0.1"))
                .put("domainPrefix", "local")
                .put("requestId", requestId)
                .put("routeKey", route.routeKey())
                .put("stage", "$default")
                .put("time", REQUEST_TIME.format(now))
                .put("timeEpoch", now.toEpochMilli());
        context.putObject("http")
                .put("method", request.method())
                .put("path", path)
                .put("protocol", "HTTP/1.1")
                .put("sourceIp", request.sourceIp())
                .put("userAgent", headers.getOrDefault("user-agent", ""));

        if (route.authorized()) {
            List<String> identity = new ArrayList<>();
            for (String header : identityHeaders) {
                String value = headers.get(header.toLowerCase(Locale.ROOT));
                if (value == null || value.isBlank()) {
                    throw new GatewayReply(401, "Unauthorized");
                }
                identity.add(value);
            }
            ObjectNode authorizerEvent = event(route, request, headers, query, pathParameters)
                    .put("type", "REQUEST")
                    .put("routeArn", "arn:aws:execute-api:us-east-1:000000000000:local/$default/" + request.method() + path);
            authorizerEvent.set("identitySource", JSON.valueToTree(identity));
            authorizerEvent.set("requestContext", context.deepCopy());
            JsonNode decision = integrate(authorizerFunction, authorizerEvent);
            if (!decision.path("isAuthorized").booleanValue()) {
                throw new GatewayReply(403, "Forbidden");
            }
            context.putObject("authorizer").set("lambda", decision.path("context").isObject()
                    ? decision.get("context") : JSON.createObjectNode());
        }

        ObjectNode event = event(route, request, headers, query, pathParameters);
        event.set("requestContext", context);
        if (body.length > 0) {
            boolean text = isText(headers.get("content-type"));
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return reply(integrate(route.functionId(), event), requestId);
    }

    /** The fields the payload-v2 event and the authorizer's event share. */
    private static ObjectNode event(Route route, Request request, Map<String, String> headers, Map<String, String> query,
                                    Map<String, String> pathParameters) {
        ObjectNode event = JSON.createObjectNode()
                .put("version", "2.0")
                .put("routeKey", route.routeKey())
                .put("rawPath", request.rawPath())
                .put("rawQueryString", request.rawQuery() == null ? "" : request.rawQuery());
        event.set("headers", JSON.valueToTree(headers));
        if (!query.isEmpty()) event.set("queryStringParameters", JSON.valueToTree(query));
        if (!pathParameters.isEmpty()) event.set("pathParameters", JSON.valueToTree(pathParameters));
        return event;
    }

    /** Invokes the function and waits as API Gateway does; the invocation itself runs on if the gateway stops waiting. */
    private JsonNode integrate(String functionId, ObjectNode event) {
        try {
            byte[] answer = functions.invokeAsync(functionId, JSON.writeValueAsBytes(event))
                    .get(integrationTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return JSON.readTree(answer);
        } catch (TimeoutException e) {
            throw new GatewayReply(503, "Service Unavailable");
        } catch (ExecutionException | IOException | LocalFunctions.RequestTooLargeException e) {
            // A function error, a response over 6 MB, a request Lambda refused, an answer that is not JSON.
            throw new GatewayReply(500, "Internal Server Error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayReply(500, "Internal Server Error");
        }
    }

    /**
     * The function's payload-v2 answer as the HTTP reply. An answer without a statusCode is, as API Gateway
     * reads it, a 200 with that JSON as body; one that is not an object, or has a statusCode that is not a number, is a 500.
     */
    private static Reply reply(JsonNode answer, String requestId) {
        if (!answer.isObject()) throw new GatewayReply(500, "Internal Server Error");
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] bytes;
        int status;
        if (!answer.has("statusCode")) {
            status = 200;
            headers.put("content-type", "application/json");
            bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
        } else {
            if (!answer.get("statusCode").canConvertToInt()) throw new GatewayReply(500, "Internal Server Error");
            status = answer.get("statusCode").asInt();
            answer.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
            String body = answer.path("body").asText("");
            bytes = answer.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body)
                    : body.getBytes(StandardCharsets.UTF_8);
        }
        headers.put("apigw-requestid", requestId);
        return new Reply(status, headers, bytes);
    }

    private static Route route(String method, String path, String functionId, boolean authorized) {
        List<String> parameters = new ArrayList<>();
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(path.substring(last, m.start())));
            String name = m.group(1);
            boolean greedy = name.endsWith("+");
            parameters.add(greedy ? name.substring(0, name.length() - 1) : name);
            regex.append(greedy ? "(.+)" : "([^/]+)");
            last = m.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        return new Route(method, path, Pattern.compile(regex.toString()), parameters, functionId, authorized);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return query;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.merge(key, value, (a, b) -> a + "," + b); // repeated parameters: comma-joined, as API Gateway does
        }
        return query;
    }

    private static boolean isText(String contentType) {
        if (contentType == null) return true;
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("x-www-form-urlencoded");
    }

    private static Reply json(int status, String body) {
        return new Reply(status, Map.of("content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
    }
}
