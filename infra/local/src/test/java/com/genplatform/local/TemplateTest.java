package com.genplatform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.genplatform.testsupport.SamTemplate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What sam deploy cannot check for us: handlers that exist in their jars, and queues that never redeliver mid-run. */
class TemplateTest {
    private final SamTemplate template = SamTemplate.locate();
    private final LocalFunctions functions = new LocalFunctions(template, id -> Map.of());

    @Test
    void everyHandlerIsAnExistingClassAndMethod() {
        assertEquals(8, functions.definitions().size());
        for (String id : functions.definitions().keySet()) {
            String eventType = functions.eventType(id); // throws for a class or method missing from the function's jar
            assertTrue(eventType.startsWith("com.amazonaws.services.lambda.runtime.events."), id + ": " + eventType);
        }
    }

    @Test
    void everyWorkerQueueHidesMessagesForAtLeastSixTimesTheWorkersTimeout() {
        int workers = 0;
        for (var definition : functions.definitions().values()) {
            for (Object value : definition.events().values()) {
                Map<String, Object> event = SamTemplate.map(value);
                if (!"SQS".equals(event.get("Type"))) continue;
                Map<String, Object> properties = SamTemplate.map(event.get("Properties"));
                String queueArn = SamTemplate.resolve(properties.get("Queue"), name -> name);
                var queue = template.resources().get(queueArn.substring(0, queueArn.indexOf('.')));
                int visibility = Integer.parseInt(queue.property("VisibilityTimeout").toString());
                assertTrue(visibility >= 6 * definition.timeoutSeconds(),
                        queue.logicalId() + " visibility " + visibility + " < 6 x " + definition.timeoutSeconds());
                assertTrue(properties.get("FunctionResponseTypes").toString().contains("ReportBatchItemFailures"));
                assertTrue(queue.properties().containsKey("RedrivePolicy"), queue.logicalId() + " has a DLQ");
                assertEquals(Integer.toString(definition.timeoutSeconds()),
                        template.environment(definition.logicalId(), v -> SamTemplate.resolve(v, n -> n)).get("WORKER_TIMEOUT_SECONDS"));
                workers++;
            }
        }
        assertEquals(4, workers);
    }

    @Test
    void everyRouteOfTheDesignIsDeclared() {
        var router = new HttpApiRouter(template, functions);
        assertTrue(router.routeKeys().containsAll(java.util.List.of(
                "POST /api/v3/generate/{engine}", "GET /api/v3/tasks/{id}", "GET /api/v3/tasks/{id}/result",
                "POST /api/v3/tasks/{id}/cancel", "GET /api/v3/tasks", "GET /api/v3/health", "POST /api/v3/webhooks/{provider}")),
                router.routeKeys().toString());
    }
}
