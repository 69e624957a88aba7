package com.genplatform.runtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.genplatform.core.Json;
import com.genplatform.core.error.ErrorCode;
import com.genplatform.core.error.ErrorResponse;
import com.genplatform.core.error.PlatformException;
import java.util.HashMap;
import java.util.Map;

/** JSON answers for API Gateway (payload v2), and the one mapping from errors to HTTP. */
public final class HttpResponses {
    private HttpResponses() {}

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        return json(status, body, Map.of());
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put("Content-Type", "application/json");
        headers.put("Cache-Control", "no-store");
        try {
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(status)
                    .withHeaders(headers)
                    .withBody(Json.MAPPER.writeValueAsString(body))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static APIGatewayV2HTTPResponse error(PlatformException e, String requestId) {
        return json(e.code().httpStatus(), ErrorResponse.of(e, requestId));
    }

    public static APIGatewayV2HTTPResponse error(ErrorCode code, String message, String requestId) {
        return json(code.httpStatus(), ErrorResponse.of(code, message, requestId));
    }
}
