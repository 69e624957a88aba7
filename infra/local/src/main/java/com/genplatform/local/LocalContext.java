package com.genplatform.local;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The Lambda context a locally run function sees: its name, memory, a request id, its deadline and a logger.
 * A proxy of the {@code Context} interface of the function's runtime loader, the one its handler method
 * takes; this stack's own copy of that interface would be another class there.
 */
final class LocalContext {
    private LocalContext() {}

    static Object create(ClassLoader runtime, String functionName, int memoryMb, long deadlineMillis) throws ClassNotFoundException {
        String requestId = UUID.randomUUID().toString();
        Object logger = proxy(runtime, "com.amazonaws.services.lambda.runtime.LambdaLogger", (proxy, method, args) -> {
            if (!method.getName().equals("log")) return objectMethod(proxy, method, args);
            // log(String), log(byte[]) and the LogLevel variants: the message comes first
            System.err.print(args[0] instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : args[0]);
            return null;
        });
        return proxy(runtime, "com.amazonaws.services.lambda.runtime.Context", (proxy, method, args) -> switch (method.getName()) {
            case "getAwsRequestId" -> requestId;
            case "getLogGroupName" -> "/aws/lambda/" + functionName;
            case "getLogStreamName" -> "local";
            case "getFunctionName" -> functionName;
            case "getFunctionVersion" -> "$LATEST";
            case "getInvokedFunctionArn" -> "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
            case "getRemainingTimeInMillis" -> (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
            case "getMemoryLimitInMB" -> memoryMb;
            case "getLogger" -> logger;
            default -> objectMethod(proxy, method, args); // getIdentity, getClientContext: none here
        });
    }

    private static Object proxy(ClassLoader runtime, String interfaceName, InvocationHandler handler) throws ClassNotFoundException {
        return Proxy.newProxyInstance(runtime, new Class<?>[] {runtime.loadClass(interfaceName)}, handler);
    }

    /** equals, hashCode and toString as for any object; an interface's default methods as they are written; else null. */
    private static Object objectMethod(Object proxy, Method method, Object[] args) throws Throwable {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "LocalContext@" + Integer.toHexString(System.identityHashCode(proxy));
            default -> method.isDefault() ? InvocationHandler.invokeDefault(proxy, method, args) : null;
        };
    }
}
