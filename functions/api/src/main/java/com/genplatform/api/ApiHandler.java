package com.genplatform.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.core.Engine;
import com.genplatform.core.Json;
import com.genplatform.core.Task;
import com.genplatform.core.TaskStatus;
import com.genplatform.core.error.ErrorCode;
import com.genplatform.core.error.FieldError;
import com.genplatform.core.error.PlatformException;
import com.genplatform.core.port.TaskPage;
import com.genplatform.core.port.TaskQuery;
import com.genplatform.core.port.TaskStore;
import com.genplatform.core.provider.GenerationProvider;
import com.genplatform.core.provider.ProviderRegistry;
import com.genplatform.core.service.TaskService;
import com.genplatform.runtime.HttpResponses;
import com.genplatform.runtime.SnapStartPriming;
import com.genplatform.runtime.Wiring;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The task API ({@code /api/v3}): parses the API Gateway event, calls the task service, maps the outcome
 * or the typed error to an answer. The caller's user id comes from the API-key authorizer's context.
 */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String BASE_PATH = "/api/v3";
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());

    private final TaskService tasks;
    private final TaskStore store;
    private final Supplier<ProviderRegistry> providers;
    private final SnapStartPriming priming;

    public ApiHandler() {
        this(System.getenv());
    }

    /** For the local stack: the same handler with the template's environment, filled in locally. */
    public ApiHandler(Map<String, String> env) {
        this(Wiring.api(env));
    }

    public ApiHandler(Wiring.Api api) {
        this.tasks = api.tasks();
        this.store = api.store();
        this.providers = api.providers();
        this.priming = SnapStartPriming.register(this::prime);
    }

    /**
     * The read path end to end (DynamoDB, JSON, routing) on a task that does not exist. It never reaches a
     * provider: provider keys must be read after the restore, not kept in the snapshot.
     */
    void prime() {
        var event = new APIGatewayV2HTTPEvent();
        event.setRouteKey("GET " + BASE_PATH + "/tasks/{id}");
        event.setPathParameters(Map.of("id", "snapstart-priming"));
        var authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setLambda(Map.of(ApiKeyAuthorizer.USER_ID, "snapstart-priming"));
        var context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setAuthorizer(authorizer);
        context.setRequestId("snapstart-priming");
        event.setRequestContext(context);
        handleRequest(event, null);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String requestId = event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        try {
            return route(event);
        } catch (PlatformException e) {
            return HttpResponses.error(e, requestId);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "request " + requestId + " failed", e);
            return HttpResponses.error(ErrorCode.INTERNAL_ERROR, "Something went wrong on our side; the request id helps us find it.", requestId);
        }
    }

    private APIGatewayV2HTTPResponse route(APIGatewayV2HTTPEvent event) {
        String routeKey = event.getRouteKey() == null ? "" : event.getRouteKey();
        Map<String, String> path = event.getPathParameters() == null ? Map.of() : event.getPathParameters();
        if (routeKey.equals("GET " + BASE_PATH + "/health")) {
            return health();
        }
        String user = authenticatedUser(event);
        return switch (routeKey) {
            case "POST " + BASE_PATH + "/generate/{engine}" -> submit(user, path.get("engine"), event);
            case "GET " + BASE_PATH + "/tasks/{id}" -> HttpResponses.json(200, TaskView.of(tasks.get(user, path.get("id"))));
            case "GET " + BASE_PATH + "/tasks/{id}/result" ->
                    HttpResponses.json(200, TaskView.Result.of(tasks.result(user, path.get("id"))));
            case "POST " + BASE_PATH + "/tasks/{id}/cancel" -> HttpResponses.json(200, TaskView.of(tasks.cancel(user, path.get("id"))));
            case "GET " + BASE_PATH + "/tasks" -> list(user, event.getQueryStringParameters());
            default -> throw new PlatformException(ErrorCode.NOT_FOUND, "There is no route "
                    + event.getRequestContext().getHttp().getMethod() + " " + event.getRawPath() + ".");
        };
    }

    private static String authenticatedUser(APIGatewayV2HTTPEvent event) {
        var authorizer = event.getRequestContext().getAuthorizer();
        Object user = authorizer == null || authorizer.getLambda() == null ? null : authorizer.getLambda().get(ApiKeyAuthorizer.USER_ID);
        if (user == null || user.toString().isBlank()) {
            throw new PlatformException(ErrorCode.UNAUTHORIZED,
                    "A valid API key is required: send the header Authorization: Bearer <key>.");
        }
        return user.toString();
    }

    private APIGatewayV2HTTPResponse submit(String user, String engineName, APIGatewayV2HTTPEvent event) {
        Engine engine = Engine.fromWireName(engineName).orElseThrow(() -> new PlatformException(ErrorCode.NOT_FOUND,
                "There is no engine \"" + engineName + "\"; the engines are image, video, audio and prompt."));
        var submission = tasks.submit(user, engine, jsonBody(event), header(event, "idempotency-key"));
        Task task = submission.task();
        String location = BASE_PATH + "/tasks/" + task.id();
        return HttpResponses.json(202, TaskView.of(task), submission.replayed()
                ? Map.of("Location", location, "Idempotent-Replayed", "true")
                : Map.of("Location", location));
    }

    private static JsonNode jsonBody(APIGatewayV2HTTPEvent event) {
        String contentType = header(event, "content-type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new PlatformException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Send the request body as JSON, with the header Content-Type: application/json.");
        }
        String raw = event.getBody() == null ? "" : event.getBody();
        byte[] bytes = event.getIsBase64Encoded() ? Base64.getDecoder().decode(raw) : raw.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new PlatformException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The request body is " + bytes.length + " bytes; the limit is " + MAX_BODY_BYTES + ".");
        }
        if (bytes.length == 0) {
            throw PlatformException.validation(List.of(new FieldError("body", "must be a JSON object")));
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (StreamConstraintsException e) {
            // Valid JSON past one of the parser's limits (nesting depth, number length); it has no location.
            throw PlatformException.validation(List.of(new FieldError("body", "must stay within the JSON parser's limits: "
                    + e.getOriginalMessage().replaceAll(", from `[^`]*`", ""))));
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new PlatformException(ErrorCode.BAD_REQUEST, "The request body is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "." : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")."));
        } catch (java.io.IOException e) {
            throw new PlatformException(ErrorCode.BAD_REQUEST, "The request body could not be read.");
        }
    }

    private APIGatewayV2HTTPResponse list(String user, Map<String, String> query) {
        Map<String, String> params = query == null ? Map.of() : query;
        List<FieldError> problems = new ArrayList<>();
        Engine engine = null;
        if (params.containsKey("engine")) {
            engine = Engine.fromWireName(params.get("engine")).orElse(null);
            if (engine == null) problems.add(new FieldError("engine", "must be one of image, video, audio, prompt"));
        }
        TaskStatus status = null;
        if (params.containsKey("status")) {
            status = TaskStatus.fromWireName(params.get("status")).orElse(null);
            if (status == null) problems.add(new FieldError("status", "must be one of pending, processing, succeeded, failed, canceled"));
        }
        int limit = TaskQuery.DEFAULT_LIMIT;
        if (params.containsKey("limit")) {
            try {
                limit = Integer.parseInt(params.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > TaskQuery.MAX_LIMIT) {
                problems.add(new FieldError("limit", "must be a whole number from 1 to " + TaskQuery.MAX_LIMIT));
            }
        }
        for (String name : params.keySet()) {
            if (!List.of("engine", "status", "limit", "cursor").contains(name)) {
                problems.add(new FieldError(name, "is not a known query parameter"));
            }
        }
        if (!problems.isEmpty()) throw PlatformException.validation(problems);
        TaskPage page = tasks.list(new TaskQuery(user, engine, status, limit, params.get("cursor")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(TaskView::of).toList());
        body.put("next_cursor", page.nextCursor());
        return HttpResponses.json(200, body);
    }

    private APIGatewayV2HTTPResponse health() {
        Map<String, Object> body = new LinkedHashMap<>();
        String database;
        try {
            store.find("health-check");
            database = "ok";
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "health check: the tasks table is unreachable", e);
            database = "unavailable";
        }
        List<GenerationProvider> configured;
        String providerState;
        try {
            configured = providers.get().all();
            providerState = "ok";
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "health check: the providers are unavailable", e);
            configured = List.of(); // e.g. the provider-keys secret cannot be read: no provider can be called
            providerState = "unavailable";
        }
        boolean ok = database.equals("ok") && providerState.equals("ok");
        body.put("status", ok ? "ok" : "degraded");
        body.put("dependencies", Map.of("tasks_table", database, "providers", providerState));
        body.put("providers", configured.stream().map(p -> {
            Map<String, Object> provider = new LinkedHashMap<>();
            provider.put("name", p.name());
            provider.put("engines", p.engines().stream().map(Engine::wireName).sorted().toList());
            Map<String, String> models = new LinkedHashMap<>();
            p.engines().stream().sorted().forEach(e -> models.put(e.wireName(), p.defaultModel(e)));
            provider.put("default_models", models);
            return provider;
        }).toList());
        return HttpResponses.json(ok ? 200 : 503, body);
    }

    private static String header(APIGatewayV2HTTPEvent event, String name) {
        if (event.getHeaders() == null) return null;
        return event.getHeaders().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
