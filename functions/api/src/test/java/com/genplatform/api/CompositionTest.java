package com.genplatform.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.genplatform.aws.DynamoApiKeyStore;
import com.genplatform.aws.ProviderKeys;
import com.genplatform.core.Json;
import com.genplatform.runtime.Wiring;
import com.genplatform.testsupport.FakeHttpServer;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.LocalAwsExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API functions composed from their template environment as Lambda starts them: the authorizer needs
 * only its table, and provider keys are read when a request needs a provider, never at init or priming.
 */
@ExtendWith(LocalAwsExtension.class)
class CompositionTest {
    private static final String SECRET_ID = "generation-platform/provider-keys";
    private final String user = "u-" + UUID.randomUUID();

    /** The function's environment from template.yaml on the emulators, plus {@code extra}. */
    private static Map<String, String> env(LocalAws aws, String function, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(aws.functionEnvironment(function));
        env.putAll(extra);
        return env;
    }

    /** A provider-keys secret on a Secrets Manager endpoint where nothing listens. */
    private static Map<String, String> unreachableSecret() {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(ProviderKeys.SECRET_VARIABLE, SECRET_ID, "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:" + port);
    }

    private APIGatewayV2HTTPEvent request(String file, Map<String, String> pathParameters, String body) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/" + file);
        event.getRequestContext().getAuthorizer().setLambda(Map.of(ApiKeyAuthorizer.USER_ID, user));
        if (pathParameters != null) event.setPathParameters(pathParameters);
        if (body != null) event.setBody(body);
        return event;
    }

    private APIGatewayV2HTTPResponse submit(ApiHandler api, String engine, String body) {
        return api.handleRequest(request("api-submit-image.json", Map.of("engine", engine), body), null);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) {
        try {
            return Json.MAPPER.readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one field problem of a 400, or a failure showing the answer. */
    private static String providerProblem(APIGatewayV2HTTPResponse response) {
        assertEquals(400, response.getStatusCode(), response.getBody());
        JsonNode details = json(response).get("error").get("details");
        assertEquals(1, details.size(), response.getBody());
        assertEquals("provider", details.get(0).get("field").asText());
        return details.get(0).get("message").asText();
    }

    @Test
    void theAuthorizerAuthorizesWithAnUnreadableSecretAndAProviderWithoutAKey(LocalAws aws) {
        Map<String, String> extra = new HashMap<>(unreachableSecret());
        extra.put("DEFAULT_PROVIDER_IMAGE", "openai");
        var authorizer = new ApiKeyAuthorizer(env(aws, "AuthorizerFunction", extra));
        String key = new DynamoApiKeyStore(aws.dynamoDb(), aws.ref("ApiKeysTable"), Clock.systemUTC()).issue(user);

        var event = EventLoader.loadEvent("events/authorizer.json", APIGatewayV2CustomAuthorizerEvent.class);
        event.setHeaders(Map.of("authorization", "Bearer " + key));
        assertEquals(Map.of("isAuthorized", true, "context", Map.of(ApiKeyAuthorizer.USER_ID, user)),
                authorizer.handleRequest(event, null));
        event.setHeaders(Map.of("authorization", "Bearer gp_not-a-key"));
        assertEquals(Map.of("isAuthorized", true, "context", Map.of(ApiKeyAuthorizer.USER_ID, "")),
                authorizer.handleRequest(event, null));
    }

    @Test
    void anUnreadableSecretFailsOnlyWhatNeedsAProvider(LocalAws aws) {
        var api = new ApiHandler(env(aws, "ApiFunction", unreachableSecret()));

        var missing = api.handleRequest(request("api-get-task.json", Map.of("id", "no-such-task"), null), null);
        assertEquals(404, missing.getStatusCode(), missing.getBody());
        var list = api.handleRequest(request("api-list-tasks.json", null, null), null);
        assertEquals(200, list.getStatusCode(), list.getBody());

        var health = api.handleRequest(EventLoader.loadApiGatewayHttpEvent("events/api-health.json"), null);
        assertEquals(503, health.getStatusCode(), health.getBody());
        assertEquals("ok", json(health).at("/dependencies/tasks_table").asText());
        assertEquals("unavailable", json(health).at("/dependencies/providers").asText());

        var submitted = submit(api, "prompt", "{\"prompt\": \"p\"}");
        assertEquals(503, submitted.getStatusCode(), submitted.getBody());
        assertEquals("service_unavailable", json(submitted).at("/error/code").asText());
        assertTrue(json(submitted).at("/error/message").asText().contains("provider keys could not be read"), submitted.getBody());
    }

    @Test
    void aProviderThatIsNotConfiguredIsA400NamingIt(LocalAws aws) {
        var api = new ApiHandler(env(aws, "ApiFunction", Map.of("DEFAULT_PROVIDER_IMAGE", "openai")));

        assertEquals("the default image provider \"openai\" is not configured (OPENAI_API_KEY is not set); configured: local",
                providerProblem(submit(api, "image", "{\"prompt\": \"p\"}")));
        assertEquals("provider \"stability\" is not configured (STABILITY_API_KEY is not set); configured: local",
                providerProblem(submit(api, "image", "{\"prompt\": \"p\", \"provider\": \"stability\"}")));
        assertEquals("unknown provider \"acme\"; configured: local",
                providerProblem(submit(api, "image", "{\"prompt\": \"p\", \"provider\": \"acme\"}")));
        assertEquals(202, submit(api, "image", "{\"prompt\": \"p\", \"provider\": \"local\"}").getStatusCode());
        assertEquals(202, submit(api, "prompt", "{\"prompt\": \"p\"}").getStatusCode(), "other engines keep their default");
    }

    @Test
    void keysAreReadOnFirstUseNeverWhilePrimingAndAgainAfterTheTtl(LocalAws aws) throws InterruptedException {
        var secret = new AtomicReference<>("{}");
        try (var secretsManager = FakeHttpServer.start()) {
            // GetSecretValue as Secrets Manager answers it (JSON 1.1 protocol, one POST to /).
            secretsManager.on("POST", "/", request -> new FakeHttpServer.Reply(200,
                    Map.of("Content-Type", "application/x-amz-json-1.1"),
                    Json.MAPPER.createObjectNode().put("ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + SECRET_ID)
                            .put("Name", SECRET_ID).put("SecretString", secret.get()).toString().getBytes(StandardCharsets.UTF_8),
                    Duration.ZERO));
            var api = new ApiHandler(env(aws, "ApiFunction", Map.of(ProviderKeys.SECRET_VARIABLE, SECRET_ID,
                    "AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager.baseUrl().toString(),
                    Wiring.PROVIDER_KEYS_TTL_SECONDS, "1")));
            api.prime();
            assertEquals(0, secretsManager.received().size(), "neither init nor SnapStart priming reads the secret");

            String openAi = "{\"prompt\": \"p\", \"provider\": \"openai\"}";
            assertTrue(providerProblem(submit(api, "prompt", openAi)).contains("OPENAI_API_KEY is not set"));
            assertEquals(1, secretsManager.received().size());
            var read = secretsManager.received().getFirst();
            assertEquals("secretsmanager.GetSecretValue", read.header("X-Amz-Target"));
            assertEquals(SECRET_ID, Json.MAPPER.readTree(read.body()).get("SecretId").asText());

            secret.set("{\"OPENAI_API_KEY\": \"sk-rotated\"}");
            Thread.sleep(1100);
            var submitted = submit(api, "prompt", openAi);
            assertEquals(202, submitted.getStatusCode(), "the rotated secret reached this container: " + submitted.getBody());
            assertEquals("openai", json(submitted).get("provider").asText());
            assertEquals(2, secretsManager.received().size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
