package com.genplatform.testsupport.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.genplatform.testsupport.LocalAws;
import com.genplatform.testsupport.SamTemplate;
import com.genplatform.testsupport.StackValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each function's execution role, built from template.yaml as SAM builds it: the function's
 * {@code Policies} (inline statements, {@code !Ref} to a template's {@code AWS::IAM::ManagedPolicy}, AWS
 * managed policy names, SAM policy templates, each possibly under {@code !If}) plus what SAM attaches on
 * its own ({@code AWSLambdaBasicExecutionRole}; {@code AWSLambdaSQSQueueExecutionRole} for an SQS event).
 * Anything else fails loudly rather than being allowed by accident.
 */
public final class TemplateRoles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> MANAGED = resource("iam/aws-managed-policies.json");
    @SuppressWarnings("unchecked")
    private static final Map<String, Object> SAM_TEMPLATES = (Map<String, Object>) resource("iam/sam-policy-templates.json").get("Templates");

    private TemplateRoles() {}

    public static Map<String, Role> read(SamTemplate template, StackValues values) {
        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, SamTemplate.Resource> resources = template.resources();
        for (var function : template.resourcesOfType("AWS::Serverless::Function")) {
            String id = function.logicalId();
            for (String unsupported : List.of("Role", "PermissionsBoundary")) {
                if (function.properties().containsKey(unsupported) || template.functionGlobals().containsKey(unsupported)) {
                    throw new IllegalArgumentException(id + ": " + unsupported + " is not emulated locally; use Policies");
                }
            }
            List<Statement> statements = new ArrayList<>();
            managed(id, "AWSLambdaBasicExecutionRole", statements);
            boolean sqsEvent = SamTemplate.map(function.properties().get("Events")).values().stream()
                    .anyMatch(e -> "SQS".equals(SamTemplate.map(e).get("Type")));
            if (sqsEvent) managed(id, "AWSLambdaSQSQueueExecutionRole", statements);
            Object policies = function.properties().get("Policies");
            List<Object> items = policies == null ? List.of() : policies instanceof List<?> l ? new ArrayList<>(l) : List.of(policies);
            int n = 0;
            for (Object item : items) {
                n++;
                Object chosen = chosenBranch(item, values);
                if (chosen != null) policy(id, "policy " + n, chosen, resources, values, statements);
            }
            String roleName = LocalAws.STACK_NAME + "-" + id + "Role";
            roles.put(id, new Role(id, "arn:aws:sts::" + LocalAws.ACCOUNT_ID + ":assumed-role/" + roleName + "/" + id, List.copyOf(statements)));
        }
        return roles;
    }

    @SuppressWarnings("unchecked")
    private static void policy(String functionId, String label, Object item, Map<String, SamTemplate.Resource> resources,
                               StackValues values, List<Statement> out) {
        if (item instanceof String name) {
            managed(functionId, name, out);
            return;
        }
        Map<String, Object> map = SamTemplate.map(item);
        if (map.containsKey("Statement")) {
            statements(functionId + ": " + label, map.get("Statement"), values, out);
        } else if (map.containsKey("Ref")) {
            SamTemplate.Resource policy = resources.get(map.get("Ref").toString());
            if (policy == null || !policy.type().equals("AWS::IAM::ManagedPolicy")) {
                throw new IllegalArgumentException(functionId + ": " + map + " is not a managed policy of the template");
            }
            values.value(map); // refused if the policy's own Condition leaves it uncreated
            statements(functionId + ": " + policy.logicalId(), SamTemplate.map(policy.properties().get("PolicyDocument")).get("Statement"), values, out);
        } else if (map.size() == 1 && SAM_TEMPLATES.containsKey(map.keySet().iterator().next())) {
            String name = map.keySet().iterator().next();
            Map<String, Object> given = SamTemplate.map(map.get(name));
            Map<String, Object> definition = SamTemplate.map(SamTemplate.map(SAM_TEMPLATES.get(name)).get("Definition"));
            statements(functionId + ": " + name, substitute(definition.get("Statement"), given), values, out);
        } else {
            throw new IllegalArgumentException(functionId + ": policy " + map + " is not emulated locally");
        }
    }

    /** The policy an {@code !If} stands for on this stack, unresolved (a {@code !Ref} to a policy stays one); null for none. */
    @SuppressWarnings("unchecked")
    private static Object chosenBranch(Object item, StackValues values) {
        while (item instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("Fn::If")) {
            List<Object> branches = (List<Object>) m.get("Fn::If");
            item = values.condition(branches.get(0).toString()) ? branches.get(1) : branches.get(2);
        }
        return item instanceof Map<?, ?> m && "AWS::NoValue".equals(m.get("Ref")) ? null : item;
    }

    /** A SAM policy template's {@code {"Ref": "TableName"}} becomes the value the function gave for TableName. */
    private static Object substitute(Object node, Map<String, Object> given) {
        if (node instanceof List<?> list) return list.stream().map(v -> substitute(v, given)).toList();
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("Ref") && given.containsKey(map.get("Ref").toString())) {
                return given.get(map.get("Ref").toString());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k.toString(), substitute(v, given)));
            return out;
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static void statements(String source, Object document, StackValues values, List<Statement> out) {
        List<Object> list = document instanceof List<?> l ? (List<Object>) l : List.of(document);
        int n = 0;
        for (Object raw : list) {
            n++;
            Object computed = values.value(raw);
            if (computed == StackValues.NO_VALUE) continue;
            out.add(statement(source + " statement " + n, SamTemplate.map(computed)));
        }
    }

    /** One statement, refused unless IAM would accept it and this emulation understands all of it. */
    private static Statement statement(String source, Map<String, Object> statement) {
        for (String key : statement.keySet()) {
            if (!List.of("Sid", "Effect", "Action", "Resource").contains(key)) {
                throw new IllegalArgumentException(source + ": " + key + " in a policy statement is not emulated locally");
            }
        }
        Object effect = statement.get("Effect");
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            throw new IllegalArgumentException(source + ": Effect must be Allow or Deny (got " + effect + ")");
        }
        List<String> actions = strings(statement.get("Action"));
        List<String> resources = strings(statement.get("Resource"));
        if (actions.isEmpty() || resources.isEmpty()) throw new IllegalArgumentException(source + ": a statement needs Action and Resource");
        return new Statement(source, effect.equals("Allow"), actions, resources);
    }

    /** An AWS managed policy by its name or its exact ARN (SAM takes either). */
    @SuppressWarnings("unchecked")
    private static void managed(String functionId, String nameOrArn, List<Statement> out) {
        var match = MANAGED.entrySet().stream().filter(e -> !e.getKey().startsWith("_"))
                .filter(e -> e.getKey().equals(nameOrArn) || SamTemplate.map(e.getValue()).get("Arn").equals(nameOrArn)).findFirst();
        if (match.isEmpty()) {
            throw new IllegalArgumentException(functionId + ": the AWS managed policy " + nameOrArn + " is not emulated locally");
        }
        int n = 0;
        for (Object raw : (List<Object>) SamTemplate.map(match.get().getValue()).get("Statement")) {
            out.add(statement("AWS managed " + match.get().getKey() + " statement " + ++n, SamTemplate.map(raw)));
        }
    }

    private static List<String> strings(Object value) {
        if (value == null) return List.of();
        if (value instanceof List<?> list) return list.stream().map(Object::toString).toList();
        return List.of(value.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resource(String path) {
        try (InputStream in = TemplateRoles.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing resource " + path);
            return JSON.readValue(in, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
