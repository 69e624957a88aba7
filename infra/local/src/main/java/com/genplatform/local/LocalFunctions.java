package com.genplatform.local;

import com.genplatform.testsupport.SamTemplate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The template's Lambda functions, each run as the managed java runtime runs it: from its own jar (the
 * template's {@code CodeUri}), in a class loader whose parent holds only what that runtime provides
 * (aws-lambda-java-core and aws-lambda-java-serialization, listed in {@code lambda-runtime.classpath}), with
 * the event given as JSON and turned into the handler's input, and its output back into JSON, by the
 * runtime's own serializers, chosen as the runtime interface client chooses them.
 *
 * <p>A function's execution environment (its two loaders and its handler) is built on its first invoke (the
 * cold start), and built again after an init failure or a timeout, as Lambda does. A handler with a
 * {@code Map<String, String>} constructor gets the function's template environment that way, since this
 * JVM's own environment cannot differ per function. Limits: the function's Timeout, and the 6 MB request
 * and response of a synchronous invoke.
 */
public final class LocalFunctions implements AutoCloseable {
    /** Lambda's synchronous invoke limits (the response may be 100 bytes longer than the request). */
    public static final int MAX_REQUEST_BYTES = 6_291_456;
    public static final int MAX_RESPONSE_BYTES = 6_291_556;

    private static final String SERIALIZATION = "com.amazonaws.services.lambda.runtime.serialization.";

    /** One function of the template; {@code code} is its jar. */
    public record Definition(String logicalId, String handlerClass, String handlerMethod, Path code, int timeoutSeconds,
                             int memoryMb, Map<String, Object> events) {}

    /** A function error, as Lambda reports it in {@code {"errorMessage": ..., "errorType": ...}}. */
    public static final class FunctionError extends RuntimeException {
        private final String errorType;

        FunctionError(String errorType, String errorMessage, Throwable cause) {
            super(errorMessage, cause);
            this.errorType = errorType;
        }

        /** What the handler (or its init) threw, as the runtime reports it: the exception's class and message. */
        static FunctionError of(Throwable thrown) {
            return thrown instanceof FunctionError error ? error
                    : new FunctionError(thrown.getClass().getName(), thrown.getMessage(), thrown);
        }

        public String errorType() {
            return errorType;
        }

        @Override
        public String toString() {
            return errorType + ": " + getMessage();
        }
    }

    /** Lambda refused the invoke (its 413 RequestEntityTooLargeException): the function never ran. */
    public static final class RequestTooLargeException extends RuntimeException {
        RequestTooLargeException(int bytes) {
            super(bytes + " byte payload is too large for the RequestResponse invocation type (limit " + MAX_REQUEST_BYTES + " bytes)");
        }
    }

    /** A built execution environment: the runtime's loader, the function's loader over its jar, and its handler. */
    private record Instance(URLClassLoader runtime, URLClassLoader code, Object handler, Method method,
                            Object input, Object output, Method fromJson, Method toJson) {}

    private final Map<String, Definition> definitions = new LinkedHashMap<>();
    private final Function<String, Map<String, String>> environment;
    private final Map<String, Duration> timeouts;
    private final URL[] runtimeClasspath;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor watchdog =
            new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("lambda-timeouts").factory());

    /** @param environment a function's environment by logical id */
    public LocalFunctions(SamTemplate template, Function<String, Map<String, String>> environment) {
        this(template, environment, Map.of());
    }

    /** @param timeouts a shorter Timeout for some functions (by logical id), so a test need not wait minutes */
    public LocalFunctions(SamTemplate template, Function<String, Map<String, String>> environment, Map<String, Duration> timeouts) {
        this.environment = environment;
        this.timeouts = Map.copyOf(timeouts);
        this.runtimeClasspath = runtimeClasspath();
        watchdog.setRemoveOnCancelPolicy(true);
        var globals = template.functionGlobals();
        Path root = template.path().toAbsolutePath().getParent();
        for (var resource : template.resourcesOfType("AWS::Serverless::Function")) {
            var p = resource.properties();
            String[] handler = ((String) p.get("Handler")).split("::");
            definitions.put(resource.logicalId(), new Definition(resource.logicalId(), handler[0],
                    handler.length > 1 ? handler[1] : "handleRequest",
                    root.resolve(p.getOrDefault("CodeUri", globals.get("CodeUri")).toString()),
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

    /** The name of the handler's event type, as found in the function's jar (its method's first parameter). */
    public String eventType(String logicalId) {
        Definition definition = definition(logicalId);
        try (var runtime = runtimeLoader(definition); var code = codeLoader(definition, runtime)) {
            Class<?> type = Class.forName(definition.handlerClass(), false, code);
            return handlerMethod(type, definition, runtime).getGenericParameterTypes()[0].getTypeName();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(definition.code() + " has no " + definition.handlerClass() + "::" + definition.handlerMethod(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The function's Timeout here: the template's, unless shortened. */
    public Duration timeout(String logicalId) {
        return timeouts.getOrDefault(logicalId, Duration.ofSeconds(definition(logicalId).timeoutSeconds()));
    }

    /** Builds the function's execution environment now if there is none; returns how long that took (0 when warm). */
    public long warm(String logicalId) {
        requireJar(definition(logicalId));
        long start = System.nanoTime();
        boolean cold = !instances.containsKey(logicalId);
        instance(definition(logicalId));
        return cold ? (System.nanoTime() - start) / 1_000_000 : 0;
    }

    /**
     * Invokes the function with {@code event} (JSON) and waits for its answer (JSON).
     *
     * @throws FunctionError when the function (or its init) fails or times out, or its response is too large
     * @throws RequestTooLargeException when the event is over Lambda's request limit
     */
    public byte[] invoke(String logicalId, byte[] event) {
        try {
            return invokeAsync(logicalId, event).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) throw failure;
            throw e;
        }
    }

    /**
     * Starts an invocation on its own thread; the answer completes the future, or a {@link FunctionError} does.
     * A caller that stops waiting (API Gateway's integration timeout) leaves the invocation running, as on AWS.
     */
    public CompletableFuture<byte[]> invokeAsync(String logicalId, byte[] event) {
        Definition definition = definition(logicalId);
        requireJar(definition);
        if (event.length > MAX_REQUEST_BYTES) throw new RequestTooLargeException(event.length);
        var answer = new CompletableFuture<byte[]>();
        Thread.ofPlatform().daemon().name(logicalId).start(() -> {
            try {
                Instance instance = instance(definition);
                // The Timeout starts once the environment is up: Lambda gives init its own time.
                Duration timeout = timeout(logicalId);
                long deadline = System.currentTimeMillis() + timeout.toMillis();
                Thread invocation = Thread.currentThread();
                var timer = watchdog.schedule(() -> {
                    if (answer.completeExceptionally(new FunctionError("Sandbox.Timedout",
                            String.format(Locale.ROOT, "Task timed out after %.2f seconds", timeout.toMillis() / 1000.0), null))) {
                        // Lambda ends the environment after a timeout; the next invoke starts a fresh one.
                        instances.remove(logicalId, instance);
                        invocation.interrupt();
                    }
                }, timeout.toMillis(), TimeUnit.MILLISECONDS);
                answer.whenComplete((ok, failed) -> timer.cancel(false));
                byte[] out = inLoader(instance.code(), () -> handle(instance, definition, event, deadline));
                if (out.length > MAX_RESPONSE_BYTES) {
                    throw new FunctionError("Function.ResponseSizeTooLarge",
                            "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).", null);
                }
                answer.complete(out);
            } catch (Throwable failure) {
                answer.completeExceptionally(FunctionError.of(failure));
            }
        });
        return answer;
    }

    /** What the runtime does per invoke: JSON to the input type, the handler, the output type to JSON. */
    private static byte[] handle(Instance instance, Definition definition, byte[] event, long deadline) throws Throwable {
        Object input;
        try {
            input = instance.fromJson().invoke(instance.input(), new ByteArrayInputStream(event));
        } catch (InvocationTargetException e) {
            throw new FunctionError(RuntimeException.class.getName(), "An error occurred during JSON parsing", e.getCause());
        }
        Object context = LocalContext.create(instance.runtime(), definition.logicalId(), definition.memoryMb(), deadline);
        Object output;
        try {
            output = instance.method().invoke(instance.handler(), input, context);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (instance.output() == null) return "null".getBytes(StandardCharsets.UTF_8); // a void handler
        var out = new ByteArrayOutputStream();
        try {
            instance.toJson().invoke(instance.output(), output, out);
        } catch (InvocationTargetException e) {
            throw new FunctionError(RuntimeException.class.getName(), "An error occurred during JSON serialization of response", e.getCause());
        }
        return out.toByteArray();
    }

    /** The function's environment, built if there is none (a failed init is not kept: the next invoke tries again). */
    private Instance instance(Definition definition) {
        return instances.computeIfAbsent(definition.logicalId(), id -> start(definition));
    }

    /** The cold start: fresh loaders, the handler's class initialised and constructed, both serializers built. */
    private Instance start(Definition definition) {
        URLClassLoader runtime = runtimeLoader(definition);
        URLClassLoader code = codeLoader(definition, runtime);
        try {
            return inLoader(code, () -> {
                Class<?> type = Class.forName(definition.handlerClass(), true, code);
                Method method = handlerMethod(type, definition, runtime);
                Object handler = construct(type, environment.apply(definition.logicalId()));
                // Built now, as the runtime builds them when it loads the handler: a class missing from the jar fails the init.
                Object input = serializer(runtime, code, method.getGenericParameterTypes()[0]);
                Type returned = method.getGenericReturnType();
                Object output = returned == void.class || returned == Void.class ? null : serializer(runtime, code, returned);
                Class<?> pojoSerializer = runtime.loadClass(SERIALIZATION + "PojoSerializer");
                return new Instance(runtime, code, handler, method, input, output,
                        pojoSerializer.getMethod("fromJson", InputStream.class), pojoSerializer.getMethod("toJson", Object.class, OutputStream.class));
            });
        } catch (Throwable failure) {
            close(runtime);
            close(code);
            throw FunctionError.of(failure);
        }
    }

    /**
     * The serializer the runtime interface client's EventHandlerLoader picks: the Lambda events' own (with their
     * mixins and date modules, resolving the event classes in the function's jar) for the events it supports,
     * else its one global Jackson mapper. Both from this function's runtime loader, whose caches are its own.
     */
    private static Object serializer(ClassLoader runtime, ClassLoader code, Type type) throws Throwable {
        try {
            Class<?> events = runtime.loadClass(SERIALIZATION + "events.LambdaEventSerializers");
            if (type instanceof Class<?> eventClass
                    && (boolean) events.getMethod("isLambdaSupportedEvent", String.class).invoke(null, eventClass.getName())) {
                return events.getMethod("serializerFor", Class.class, ClassLoader.class).invoke(null, eventClass, code);
            }
            Class<?> jackson = runtime.loadClass(SERIALIZATION + "factories.JacksonFactory");
            return jackson.getMethod("getSerializer", Type.class).invoke(jackson.getMethod("getInstance").invoke(null), type);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The {@code Map<String, String>} constructor with the function's environment where there is one, else the no-arg one. */
    private static Object construct(Class<?> type, Map<String, String> env) throws Throwable {
        Constructor<?> withEnvironment = Arrays.stream(type.getConstructors())
                .filter(c -> Arrays.equals(c.getParameterTypes(), new Class<?>[] {Map.class})).findFirst().orElse(null);
        try {
            return withEnvironment != null ? withEnvironment.newInstance(env) : type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The handler method: its name, with the runtime's Context (not a copy shaded into the jar) as second parameter. */
    private static Method handlerMethod(Class<?> type, Definition definition, ClassLoader runtime) throws ReflectiveOperationException {
        Class<?> context = runtime.loadClass("com.amazonaws.services.lambda.runtime.Context");
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(definition.handlerMethod()) && m.getParameterCount() == 2 && !m.isBridge()
                        && m.getParameterTypes()[1] == context)
                .findFirst()
                .orElseThrow(() -> new NoSuchMethodException(definition.handlerClass() + " has no method "
                        + definition.handlerMethod() + "(event, Context)"));
    }

    /** A fresh loader per environment: the serialization library caches classes by name in statics. */
    private URLClassLoader runtimeLoader(Definition definition) {
        return new URLClassLoader("lambda-runtime-" + definition.logicalId(), runtimeClasspath, ClassLoader.getPlatformClassLoader());
    }

    /** The function's jar over the runtime's classes; parent-first, so the runtime's core wins over a shaded copy. */
    private static URLClassLoader codeLoader(Definition definition, ClassLoader runtime) {
        requireJar(definition);
        try {
            return new URLClassLoader(definition.logicalId(), new URL[] {definition.code().toUri().toURL()}, runtime);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A missing jar is this machine's problem, not the function's: said at once, never reported as a function error. */
    private static void requireJar(Definition definition) {
        if (!Files.isRegularFile(definition.code())) {
            throw new IllegalStateException(definition.logicalId() + ": " + definition.code()
                    + " does not exist; build the function jars first (mvn package)");
        }
    }

    private interface Work<T> {
        T run() throws Throwable;
    }

    /** The runtime sets the function's loader as the thread's context loader (the SDK finds its HTTP client there). */
    private static <T> T inLoader(ClassLoader loader, Work<T> work) throws Throwable {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return work.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static URL[] runtimeClasspath() {
        try (InputStream in = LocalFunctions.class.getResourceAsStream("/lambda-runtime.classpath")) {
            if (in == null) {
                throw new IllegalStateException("lambda-runtime.classpath is missing: build infra/local with mvn package");
            }
            List<URL> jars = new ArrayList<>();
            for (String jar : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split(File.pathSeparator)) {
                jars.add(Path.of(jar).toUri().toURL());
            }
            return jars.toArray(URL[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void close(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // only releases the jar's file handle
        }
    }

    private static int number(Object value) {
        return Integer.parseInt(value.toString());
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        instances.values().forEach(instance -> {
            close(instance.code());
            close(instance.runtime());
        });
        instances.clear();
    }
}
