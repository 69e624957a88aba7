package com.genplatform.local.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.genplatform.core.Json;
import com.genplatform.providers.webhooks.StandardWebhooks;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local server that speaks Replicate's HTTP API (v1 predictions: create by model or by version, get,
 * list, cancel, {@code Prefer: wait}, the default webhook secret) and produces real content with the
 * local provider's generators, serving the output files itself. Predictions go {@code starting} →
 * {@code processing} → {@code succeeded} over {@code latency}; webhooks are signed as Replicate signs them
 * (Standard Webhooks), honour {@code webhook_events_filter}, keep their {@code webhook-id} across retries and
 * are retried on failure. {@code failureRate} fails that share of predictions; {@code outage} answers 503.
 */
public final class ReplicateCompatibleServer implements AutoCloseable {
    private static final Pattern MODEL_PATH = Pattern.compile("/v1/models/([^/]+)/([^/]+)/predictions");
    private static final Pattern PREDICTION_PATH = Pattern.compile("/v1/predictions/([a-z0-9]+)(/cancel)?");
    private static final Pattern FILE_PATH = Pattern.compile("/files/([a-z0-9]+)/(\\d+)\\.([a-z0-9]+)");
    private static final Pattern VERSION_ID = Pattern.compile("(?:([^/:]+/[^/:]+):)?([0-9a-f]{64})");
    private static final Set<String> EVENTS = Set.of("start", "output", "logs", "completed");

    /** Knobs: how long a prediction takes, what share fails, and whether the API is down altogether. */
    public record Options(String apiToken, String webhookSecret, Duration latency, double failureRate, boolean outage) {}

    private final Options options;
    private final HttpServer server;
    private final StandardWebhooks signer;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("replicate-", 0).factory());
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Prediction> predictions = new ConcurrentHashMap<>();
    private final Consumer<String> log;
    private final SecureRandom random = new SecureRandom();
    private volatile boolean outage;
    private volatile Consumer<String> beforeCreateAnswers = id -> { };

    public ReplicateCompatibleServer(int port, Options options, Consumer<String> log) throws IOException {
        this.options = options;
        this.outage = options.outage();
        this.log = log;
        this.signer = new StandardWebhooks(options.webhookSecret());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** A {@code whsec_} secret for a fresh server, as Replicate hands out one per account. */
    public static String newWebhookSecret() {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    public void setOutage(boolean down) {
        this.outage = down;
    }

    /**
     * Runs {@code hook} with each new prediction's id before its create is answered: lets a test act while
     * the caller's create is in flight (a user's cancel racing the worker's start), which no latency can time.
     */
    public void beforeCreateAnswers(Consumer<String> hook) {
        this.beforeCreateAnswers = hook;
    }

    /** One prediction: the document Replicate returns, plus what this server needs to finish it. */
    private final class Prediction {
        final ObjectNode json;
        final String kind;
        final String webhook;
        final Set<String> events;
        final boolean fails;
        final List<byte[]> files = new ArrayList<>();
        final List<String> fileTypes = new ArrayList<>();

        Prediction(ObjectNode json, String kind, String webhook, Set<String> events, boolean fails) {
            this.json = json;
            this.kind = kind;
            this.webhook = webhook;
            this.events = events;
            this.fails = fails;
        }

        String id() {
            return json.get("id").asText();
        }

        synchronized String status() {
            return json.get("status").asText();
        }

        synchronized boolean terminal() {
            return Set.of("succeeded", "failed", "canceled", "aborted").contains(status());
        }

        synchronized ObjectNode snapshot() {
            return json.deepCopy();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Matcher file = FILE_PATH.matcher(path);
            if (method.equals("GET") && file.matches()) {
                serveFile(exchange, file.group(1), Integer.parseInt(file.group(2)));
                return;
            }
            if (!authorized(exchange)) {
                reply(exchange, 401, Json.MAPPER.createObjectNode().put("title", "Unauthenticated")
                        .put("detail", "You did not pass a valid authentication token").put("status", 401));
                return;
            }
            if (outage) {
                reply(exchange, 503, Json.MAPPER.createObjectNode().put("detail", "Service unavailable (simulated outage)").put("status", 503));
                return;
            }
            Matcher model = MODEL_PATH.matcher(path);
            Matcher prediction = PREDICTION_PATH.matcher(path);
            if (method.equals("POST") && model.matches()) {
                create(exchange, model.group(1) + "/" + model.group(2), null, body);
            } else if (method.equals("POST") && path.equals("/v1/predictions")) {
                JsonNode request = parse(body);
                String version = request == null ? null : request.path("version").asText(null);
                Matcher v = version == null ? null : VERSION_ID.matcher(version);
                if (v == null || !v.matches()) {
                    problem(exchange, 422, "Invalid version", "version must be a 64-character version id or owner/name:version");
                    return;
                }
                create(exchange, v.group(1) == null ? "replicate/local-model" : v.group(1), v.group(2), body);
            } else if (method.equals("GET") && path.equals("/v1/predictions")) {
                list(exchange);
            } else if (prediction.matches()) {
                Prediction p = predictions.get(prediction.group(1));
                if (p == null) {
                    problem(exchange, 404, "Not found", "The requested resource could not be found.");
                } else if (method.equals("POST") && prediction.group(2) != null) {
                    cancel(p);
                    reply(exchange, 200, p.snapshot());
                } else if (method.equals("GET") && prediction.group(2) == null) {
                    reply(exchange, 200, p.snapshot());
                } else {
                    problem(exchange, 405, "Method not allowed", method + " is not allowed here");
                }
            } else if (method.equals("GET") && path.equals("/v1/webhooks/default/secret")) {
                reply(exchange, 200, Json.MAPPER.createObjectNode().put("key", options.webhookSecret()));
            } else {
                problem(exchange, 404, "Not found", "The requested resource could not be found.");
            }
        } catch (RuntimeException e) {
            log.accept("replicate-compatible server error: " + e);
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) return false;
        String token = header.replaceFirst("^(Bearer|Token) ", "");
        return options.apiToken() == null || options.apiToken().equals(token);
    }

    private void create(HttpExchange exchange, String model, String version, byte[] body) throws IOException {
        JsonNode request = parse(body);
        if (request == null || !request.path("input").isObject()) {
            problem(exchange, 422, "Input validation failed", "input: a JSON object is required");
            return;
        }
        String webhook = request.path("webhook").asText(null);
        Set<String> events = new java.util.HashSet<>();
        if (request.path("webhook_events_filter").isArray()) {
            request.get("webhook_events_filter").forEach(e -> events.add(e.asText()));
            if (!EVENTS.containsAll(events)) {
                problem(exchange, 422, "Input validation failed", "webhook_events_filter: allowed values are " + EVENTS);
                return;
            }
        } else {
            events.addAll(EVENTS);
        }
        String id = newId();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("id", id).put("model", model).put("version", version != null ? version : HexFormat.of().formatHex(new byte[32]))
                .set("input", request.get("input"));
        json.put("logs", "").putNull("output").put("data_removed", false).putNull("error").put("status", "starting")
                .put("created_at", Instant.now().toString()).putNull("started_at").putNull("completed_at")
                .put("source", "api");
        json.putObject("urls").put("get", base + "/v1/predictions/" + id).put("cancel", base + "/v1/predictions/" + id + "/cancel")
                .put("web", base + "/p/" + id);
        var prediction = new Prediction(json, ContentKind.of(model, request.get("input")), webhook, events,
                random.nextDouble() < options.failureRate());
        predictions.put(id, prediction);
        log.accept("replicate: created " + id + " (" + model + ", " + prediction.kind + ")");
        long half = Math.max(1, options.latency().toMillis() / 2);
        scheduler.schedule(() -> start(prediction), half, TimeUnit.MILLISECONDS);
        scheduler.schedule(() -> finish(prediction), Math.max(2, options.latency().toMillis()), TimeUnit.MILLISECONDS);
        beforeCreateAnswers.accept(id);

        Duration wait = preferWait(exchange.getRequestHeaders().getFirst("Prefer"));
        if (wait != null) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (!prediction.terminal() && System.nanoTime() < deadline) sleep(20);
            exchange.getResponseHeaders().set("Preference-Applied", "wait=" + wait.toSeconds());
        }
        reply(exchange, 201, prediction.snapshot());
    }

    private void start(Prediction p) {
        synchronized (p) {
            if (p.terminal()) return;
            p.json.put("status", "processing").put("started_at", Instant.now().toString()).put("logs", "Starting...\n 50%|#####     | 25/50\n");
        }
        notify(p, "start");
        notify(p, "logs");
    }

    private void finish(Prediction p) {
        List<String> urls = new ArrayList<>();
        String text = null;
        String error = null;
        if (p.fails) {
            error = "Prediction failed (simulated failure)";
        } else {
            try {
                var generated = ContentKind.generate(p.kind, p.json.get("input"), p.id());
                for (int i = 0; i < generated.files().size(); i++) {
                    p.files.add(generated.files().get(i));
                    p.fileTypes.add(generated.contentType());
                    urls.add("http://127.0.0.1:" + server.getAddress().getPort() + "/files/" + p.id() + "/" + i + "." + generated.extension());
                }
                text = generated.text();
            } catch (IOException | RuntimeException e) {
                error = "Generation failed: " + e.getMessage();
            }
        }
        synchronized (p) {
            if (p.terminal()) return;
            if (error != null) {
                p.json.put("status", "failed").put("error", error);
            } else {
                if (text != null) {
                    ArrayNode tokens = p.json.putArray("output"); // language models stream their text as tokens
                    for (String token : text.split("(?<= )")) tokens.add(token);
                } else if (urls.size() == 1 && !p.kind.equals("image")) {
                    p.json.put("output", urls.getFirst());
                } else {
                    ArrayNode output = p.json.putArray("output");
                    urls.forEach(output::add);
                }
                p.json.put("status", "succeeded").put("logs", p.json.get("logs").asText() + "100%|##########| 50/50\n");
                p.json.putObject("metrics").put("predict_time", options.latency().toMillis() / 1000.0);
            }
            p.json.put("completed_at", Instant.now().toString());
        }
        log.accept("replicate: " + p.id() + " " + p.status());
        notify(p, "output");
        notify(p, "completed");
    }

    private void cancel(Prediction p) {
        synchronized (p) {
            if (p.terminal()) return;
            p.json.put("status", "canceled").put("completed_at", Instant.now().toString());
        }
        log.accept("replicate: " + p.id() + " canceled");
        notify(p, "completed");
    }

    /** Sends one webhook event if the filter wants it; retried with the same webhook-id, as Replicate does. */
    private void notify(Prediction p, String event) {
        if (p.webhook == null || !p.events.contains(event)) return;
        byte[] body = p.snapshot().toString().getBytes(StandardCharsets.UTF_8);
        String messageId = "msg_" + newId();
        scheduler.execute(() -> deliver(p, event, messageId, body, 1));
    }

    private void deliver(Prediction p, String event, String messageId, byte[] body, int attempt) {
        long timestamp = Instant.now().getEpochSecond();
        int status;
        try {
            var request = HttpRequest.newBuilder(URI.create(p.webhook)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Replicate-Webhooks/1.0 (local)")
                    .header(StandardWebhooks.ID, messageId)
                    .header(StandardWebhooks.TIMESTAMP, Long.toString(timestamp))
                    .header(StandardWebhooks.SIGNATURE, signer.sign(messageId, timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        log.accept("replicate: webhook " + event + " for " + p.id() + " -> " + (status < 0 ? "unreachable" : status)
                + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
        if ((status < 200 || status >= 300) && attempt < 4) {
            scheduler.schedule(() -> deliver(p, event, messageId, body, attempt + 1), 500L << attempt, TimeUnit.MILLISECONDS);
        }
    }

    private void list(HttpExchange exchange) throws IOException {
        var all = new ArrayList<>(predictions.values());
        all.sort((a, b) -> b.json.get("created_at").asText().compareTo(a.json.get("created_at").asText()));
        String query = exchange.getRequestURI().getQuery();
        int offset = query != null && query.startsWith("cursor=") ? Integer.parseInt(query.substring(7)) : 0;
        int pageSize = 100;
        ObjectNode page = Json.MAPPER.createObjectNode();
        ArrayNode results = page.putArray("results");
        all.stream().skip(offset).limit(pageSize).forEach(p -> results.add(p.snapshot()));
        if (offset + pageSize < all.size()) {
            page.put("next", baseUrl() + "/predictions?cursor=" + (offset + pageSize));
        } else {
            page.putNull("next");
        }
        page.putNull("previous");
        reply(exchange, 200, page);
    }

    private void serveFile(HttpExchange exchange, String id, int index) throws IOException {
        Prediction p = predictions.get(id);
        if (p == null || index >= p.files.size()) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        byte[] bytes = p.files.get(index);
        exchange.getResponseHeaders().set("Content-Type", p.fileTypes.get(index));
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Duration preferWait(String prefer) {
        if (prefer == null) return null;
        Matcher m = Pattern.compile("wait(?:=(\\d+))?").matcher(prefer.strip());
        if (!m.matches()) return null;
        int seconds = m.group(1) == null ? 60 : Math.clamp(Integer.parseInt(m.group(1)), 1, 60);
        return Duration.ofSeconds(seconds);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        // Replicate's errors are RFC 7807 problem documents.
        reply(exchange, status, Json.MAPPER.createObjectNode().put("title", title).put("detail", detail).put("status", status));
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String newId() {
        StringBuilder id = new StringBuilder();
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 26; i++) id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return id.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        server.stop(0);
    }

}
