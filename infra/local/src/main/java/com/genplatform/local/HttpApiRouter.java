package com.genplatform.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.genplatform.testsupport.SamTemplate;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API Gateway's HTTP API, as template.yaml declares it: matches a request to a route, runs the route's
 * Lambda authorizer first (identity header missing: 401; not authorized: 403, as API Gateway answers),
 * builds the payload-v2 event (headers, path and query parameters, the authorizer's context, base64 for
 * binary bodies) and turns the function's answer into the HTTP reply.
 */
public final class HttpApiRouter {
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

    private final LocalFunctions functions;
    private final List<Route> routes = new ArrayList<>();
    private final String authorizerFunction;
    private final List<String> identityHeaders;

    public HttpApiRouter(SamTemplate template, LocalFunctions functions) {
        this.functions = functions;
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
            return json(404, "{\"message\":\"Not Found\"}");
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

        var http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(request.method());
        http.setPath(path);
        http.setProtocol("HTTP/1.1");
        http.setSourceIp(request.sourceIp());
        http.setUserAgent(headers.getOrDefault("user-agent", ""));
        var context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setAccountId("000000000000");
        context.setApiId("local");
        context.setDomainName(headers.getOrDefault("host", "127.0.0.1"));
        context.setDomainPrefix("local");
        context.setHttp(http);
        context.setRequestId(requestId);
        context.setRouteKey(route.routeKey());
        context.setStage("$default");
        context.setTime(REQUEST_TIME.format(now));
        context.setTimeEpoch(now.toEpochMilli());

        if (route.authorized()) {
            List<String> identity = new ArrayList<>();
            for (String header : identityHeaders) {
                String value = headers.get(header.toLowerCase(Locale.ROOT));
                if (value == null || value.isBlank()) {
                    return json(401, "{\"message\":\"Unauthorized\"}");
                }
                identity.add(value);
            }
            var authorizerEvent = new APIGatewayV2CustomAuthorizerEvent();
            authorizerEvent.setVersion("2.0");
            authorizerEvent.setType("REQUEST");
            authorizerEvent.setRouteArn("arn:aws:execute-api:us-east-1:000000000000:local/$default/" + request.method() + path);
            authorizerEvent.setIdentitySource(identity);
            authorizerEvent.setRouteKey(route.routeKey());
            authorizerEvent.setRawPath(path);
            authorizerEvent.setRawQueryString(request.rawQuery() == null ? "" : request.rawQuery());
            authorizerEvent.setHeaders(headers);
            authorizerEvent.setQueryStringParameters(query.isEmpty() ? null : query);
            authorizerEvent.setPathParameters(pathParameters.isEmpty() ? null : pathParameters);
            Object answer = functions.invoke(authorizerFunction, authorizerEvent);
            Map<String, Object> decision = SamTemplate.map(answer);
            if (!Boolean.TRUE.equals(decision.get("isAuthorized"))) {
                return json(403, "{\"message\":\"Forbidden\"}");
            }
            var authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
            authorizer.setLambda(SamTemplate.map(decision.get("context")));
            context.setAuthorizer(authorizer);
        }

        var event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey(route.routeKey());
        event.setRawPath(path);
        event.setRawQueryString(request.rawQuery() == null ? "" : request.rawQuery());
        event.setHeaders(headers);
        event.setQueryStringParameters(query.isEmpty() ? null : query);
        event.setPathParameters(pathParameters.isEmpty() ? null : pathParameters);
        event.setRequestContext(context);
        byte[] body = request.body() == null ? new byte[0] : request.body();
        if (body.length > 0) {
            boolean text = isText(headers.get("content-type"));
            event.setIsBase64Encoded(!text);
            event.setBody(text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
        }
        Object result = functions.invoke(route.functionId(), event);
        if (!(result instanceof APIGatewayV2HTTPResponse response)) {
            return json(500, "{\"message\":\"Internal Server Error\"}");
        }
        Map<String, String> replyHeaders = response.getHeaders() == null ? Map.of() : response.getHeaders();
        String responseBody = response.getBody() == null ? "" : response.getBody();
        byte[] bytes = response.getIsBase64Encoded() ? Base64.getDecoder().decode(responseBody)
                : responseBody.getBytes(StandardCharsets.UTF_8);
        Map<String, String> all = new LinkedHashMap<>(replyHeaders);
        all.put("apigw-requestid", requestId);
        return new Reply(response.getStatusCode(), all, bytes);
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
