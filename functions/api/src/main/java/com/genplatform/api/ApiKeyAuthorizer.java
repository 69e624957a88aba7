package com.genplatform.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.genplatform.core.port.ApiKeyStore;
import com.genplatform.runtime.SnapStartPriming;
import com.genplatform.runtime.Wiring;
import java.util.Map;

/**
 * The HTTP API's Lambda authorizer (simple responses, cached by API Gateway per Authorization header).
 * It always lets the request through and puts the key's user into the context, or no user for a wrong
 * key: API Gateway would answer a denial with a bare 403, while the API handler answers a missing user with
 * a 401 in the API's one error shape.
 */
public final class ApiKeyAuthorizer implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, Map<String, Object>> {
    static final String USER_ID = "user_id";
    private static final String BEARER = "bearer ";

    private final ApiKeyStore keys;
    private final SnapStartPriming priming;

    public ApiKeyAuthorizer() {
        this(System.getenv());
    }

    /** For the local stack: the template's environment; only the API-keys table is used. */
    public ApiKeyAuthorizer(Map<String, String> env) {
        this(Wiring.authorizer(env));
    }

    public ApiKeyAuthorizer(ApiKeyStore keys) {
        this.keys = keys;
        this.priming = SnapStartPriming.register(() -> keys.userFor("gp_snapstart-priming"));
    }

    @Override
    public Map<String, Object> handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        String user = bearerKey(event).flatMap(keys::userFor).orElse("");
        return Map.of("isAuthorized", true, "context", Map.of(USER_ID, user));
    }

    private static java.util.Optional<String> bearerKey(APIGatewayV2CustomAuthorizerEvent event) {
        if (event.getHeaders() == null) return java.util.Optional.empty();
        return event.getHeaders().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("authorization"))
                .map(Map.Entry::getValue)
                .filter(v -> v != null && v.length() > BEARER.length() && v.substring(0, BEARER.length()).equalsIgnoreCase(BEARER))
                .map(v -> v.substring(BEARER.length()).strip())
                .findFirst();
    }
}
