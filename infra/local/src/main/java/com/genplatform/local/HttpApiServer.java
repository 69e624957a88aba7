package com.genplatform.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** The HTTP API on a loopback port, each request handed to the router and logged in one line. */
public final class HttpApiServer implements AutoCloseable {
    private final HttpServer server;

    public HttpApiServer(int port, HttpApiRouter router, Consumer<String> log) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> handle(exchange, router, log));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange exchange, HttpApiRouter router, Consumer<String> log) throws IOException {
        long start = System.nanoTime();
        try (exchange; InputStream in = exchange.getRequestBody()) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
            var request = new HttpApiRouter.Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    // One byte past the limit is enough for the router to refuse it; the rest is never held.
                    exchange.getRequestURI().getRawQuery(), headers, in.readNBytes(HttpApiRouter.MAX_BODY_BYTES + 1),
                    exchange.getRemoteAddress().getAddress().getHostAddress());
            HttpApiRouter.Reply reply;
            try {
                reply = router.handle(request);
            } catch (RuntimeException e) {
                log.accept("error: " + e);
                reply = new HttpApiRouter.Reply(500, Map.of("content-type", "application/json"),
                        "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
            log.accept(String.format("%s %s -> %d (%d ms)", request.method(), exchange.getRequestURI(), reply.status(),
                    (System.nanoTime() - start) / 1_000_000));
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
