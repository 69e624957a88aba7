package com.genplatform.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.genplatform.core.Task;
import com.genplatform.core.error.ErrorCode;
import com.genplatform.core.error.PlatformException;
import com.genplatform.core.provider.WebhookDelivery;
import com.genplatform.core.provider.WebhookRejectedException;
import com.genplatform.core.service.WebhookService;
import com.genplatform.runtime.HttpResponses;
import com.genplatform.runtime.Wiring;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /api/v3/webhooks/{provider}?task={id}}: provider callbacks, authenticated by the provider's
 * signature over the raw body rather than by an API key.
 */
public final class WebhookHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Logger LOG = Logger.getLogger(WebhookHandler.class.getName());

    private final WebhookService webhooks;

    public WebhookHandler() {
        this(System.getenv());
    }

    public WebhookHandler(Map<String, String> env) {
        this(Wiring.webhook(env));
    }

    public WebhookHandler(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String requestId = event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        String provider = event.getPathParameters() == null ? null : event.getPathParameters().get("provider");
        String taskId = event.getQueryStringParameters() == null ? null : event.getQueryStringParameters().get("task");
        String body = event.getBody() == null ? "" : event.getBody();
        // Verify what the provider signed: the exact bytes, never a re-serialised body.
        byte[] raw = event.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        try {
            Task task = webhooks.receive(provider, taskId, new WebhookDelivery(headers, raw));
            return HttpResponses.json(200, Map.of("received", true, "task_status", task.status().wireName()));
        } catch (WebhookRejectedException e) {
            LOG.warning("rejected a " + provider + " webhook for task " + taskId + ": " + e.getMessage());
            return HttpResponses.error(ErrorCode.UNAUTHORIZED, "The webhook could not be verified: " + e.getMessage(), requestId);
        } catch (PlatformException e) {
            return HttpResponses.error(e, requestId);
        } catch (RuntimeException e) {
            // 5xx: the provider retries the delivery later.
            LOG.log(Level.SEVERE, "webhook for task " + taskId + " failed", e);
            return HttpResponses.error(ErrorCode.INTERNAL_ERROR, "The webhook could not be processed; deliver it again later.", requestId);
        }
    }
}
