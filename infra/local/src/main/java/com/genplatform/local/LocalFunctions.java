package com.genplatform.local;

import com.genplatform.testsupport.SamTemplate;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The template's Lambda functions, run in this JVM: each {@code Handler} class is built once (its cold
 * start), with the function's environment from template.yaml, and invoked like Lambda invokes it. A handler
 * with a {@code Map<String, String>} constructor gets the environment that way; the JVM's own environment
 * cannot be set per function.
 */
public final class LocalFunctions {

    /** One function of the template. */
    public record Definition(String logicalId, String handlerClass, String handlerMethod, int timeoutSeconds, int memoryMb,
                             Map<String, Object> events) {}

    private final Map<String, Definition> definitions = new LinkedHashMap<>();
    private final Function<String, Map<String, String>> environment;
    private final Map<String, Object> instances = new ConcurrentHashMap<>();

    /** @param environment a function's environment by logical id */
    public LocalFunctions(SamTemplate template, Function<String, Map<String, String>> environment) {
        this.environment = environment;
        var globals = template.functionGlobals();
        for (var resource : template.resourcesOfType("AWS::Serverless::Function")) {
            var p = resource.properties();
            String[] handler = ((String) p.get("Handler")).split("::");
            definitions.put(resource.logicalId(), new Definition(resource.logicalId(), handler[0],
                    handler.length > 1 ? handler[1] : "handleRequest",
                    number(p.getOrDefault("Timeout", globals.getOrDefault("Timeout", 3))),
                    number(p.getOrDefault("MemorySize", globals.getOrDefault("MemorySize", 128))),
                    SamTemplate.map(p.get("Events"))));
        }
    }

    public Map<String, Definition> definitions() {
        return definitions;
    }

    public Definition definition(String logicalId) {
        Definition definition = definitions.get(logicalId);
        if (definition == null) {
            throw new IllegalArgumentException("template.yaml has no function " + logicalId + "; it has " + definitions.keySet());
        }
        return definition;
    }

    /** The handler's event type (its method's first parameter). */
    public Class<?> eventType(String logicalId) {
        return handlerMethod(definition(logicalId)).getParameterTypes()[0];
    }

    /** Builds the handler now if it is not built yet; returns how long that took (0 when already warm). */
    public long warm(String logicalId) {
        long start = System.nanoTime();
        boolean cold = !instances.containsKey(logicalId);
        instance(definition(logicalId));
        return cold ? (System.nanoTime() - start) / 1_000_000 : 0;
    }

    public Object invoke(String logicalId, Object event) {
        Definition definition = definition(logicalId);
        Object handler = instance(definition);
        try {
            return handlerMethod(definition).invoke(handler, event,
                    LocalContext.of(logicalId, definition.memoryMb(), definition.timeoutSeconds()));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            throw new IllegalStateException(logicalId + " failed", e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object instance(Definition definition) {
        return instances.computeIfAbsent(definition.logicalId(), id -> {
            try {
                Class<?> type = Class.forName(definition.handlerClass());
                try {
                    Constructor<?> withEnvironment = type.getConstructor(Map.class);
                    return withEnvironment.newInstance(environment.apply(id));
                } catch (NoSuchMethodException e) {
                    return type.getConstructor().newInstance();
                }
            } catch (ReflectiveOperationException e) {
                Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                throw new IllegalStateException("cannot start " + id + " (" + definition.handlerClass() + "): " + cause, cause);
            }
        });
    }

    private static Method handlerMethod(Definition definition) {
        try {
            Class<?> type = Class.forName(definition.handlerClass());
            return Arrays.stream(type.getMethods())
                    .filter(m -> m.getName().equals(definition.handlerMethod()) && m.getParameterCount() == 2
                            && !m.isBridge() && m.getParameterTypes()[1] == com.amazonaws.services.lambda.runtime.Context.class)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(definition.handlerClass() + " has no method "
                            + definition.handlerMethod() + "(event, Context)"));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("template.yaml names " + definition.handlerClass() + ", which does not exist", e);
        }
    }

    private static int number(Object value) {
        return Integer.parseInt(value.toString());
    }
}
