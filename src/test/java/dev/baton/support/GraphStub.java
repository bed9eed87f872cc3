package dev.baton.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.json.JsonObject;

/**
 * A local Graph API speaking Meta's shapes: {@code POST /{version}/{phoneNumberId}/messages} answers
 * {@code {messaging_product, contacts, messages:[{id}]}}, or the faults a test scripted for that
 * recipient. It counts what it accepted per {@code biz_opaque_callback_data}, the way a test tells
 * "sent exactly once". Started once for the whole test run (Baton's graph URL points here).
 */
public final class GraphStub implements QuarkusTestResourceLifecycleManager {

    /** What the stub does with one request. */
    public enum Fault {
        /** HTTP 500 with a Graph error body. */
        SERVER_ERROR,
        /** HTTP 429 with Retry-After: 0. */
        TOO_MANY_REQUESTS,
        /** HTTP 400, code 130429 (throughput reached): transient. */
        THROUGHPUT,
        /** No answer within Baton's timeout; not accepted. */
        TIMEOUT,
        /** Accepted (counted), but the answer comes after Baton's timeout: a lost answer. */
        LOST_ANSWER,
        /** HTTP 400, code 131047 (re-engagement: the window is closed): permanent. */
        REENGAGEMENT
    }

    /** One accepted message: the request as received and the wamid given. */
    public record Accepted(String phoneNumberId, String authorization, JsonObject body, String wamid, long atNanos) {
    }

    private static HttpServer server;
    private static final Map<String, Deque<Fault>> FAULTS = new ConcurrentHashMap<>();
    private static final List<Accepted> ACCEPTED = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();
    /** Longer than Baton's send timeout in tests (PT2S). */
    private static final long SLOW_MILLIS = 3_000;
    /** Where Meta would post statuses for a phone number: Baton's webhook URL and the app secret that signs them. */
    private static final Map<String, String[]> WEBHOOKS = new ConcurrentHashMap<>();
    private static final HttpClient WEBHOOK_CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", GraphStub::handle);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
        }
        return Map.of("baton.whatsapp.graph-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        // Shared by every Quarkus start of the run; the JVM's exit ends it.
    }

    /**
     * Like Meta, post a signed {@code sent} status (with the message's biz_opaque_callback_data) to
     * this webhook for every message accepted for the phone number, retrying until it gets a 200.
     */
    public static void webhook(String phoneNumberId, String url, String appSecret) {
        WEBHOOKS.put(phoneNumberId, new String[] { url, appSecret });
    }

    /** The next requests to {@code to} meet these faults, in order; then it is accepted. */
    public static void script(String to, Fault... faults) {
        FAULTS.computeIfAbsent(to, k -> new ArrayDeque<>()).addAll(List.of(faults));
    }

    public static List<Accepted> acceptedFor(String to) {
        return ACCEPTED.stream().filter(a -> to.equals(a.body().getString("to"))).toList();
    }

    /** How many times a message with this callback data was accepted. */
    public static long acceptedCount(String callbackData) {
        return ACCEPTED.stream().filter(a -> callbackData.equals(a.body().getString("biz_opaque_callback_data"))).count();
    }

    /** Every request for {@code to}, answered or not. */
    public static int requestsFor(String to) {
        AtomicInteger n = REQUESTS.get(to);
        return n == null ? 0 : n.get();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().split("/");
            if (!exchange.getRequestMethod().equals("POST") || path.length != 4 || !path[3].equals("messages")) {
                respond(exchange, 404, error(100, "Unknown path"));
                return;
            }
            JsonObject body = new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String to = body.getString("to");
            REQUESTS.computeIfAbsent(to, k -> new AtomicInteger()).incrementAndGet();
            Deque<Fault> faults = FAULTS.get(to);
            Fault fault;
            synchronized (GraphStub.class) {
                fault = faults == null ? null : faults.poll();
            }
            if (fault == null || fault == Fault.LOST_ANSWER) {
                String wamid = "wamid." + UUID.randomUUID().toString().replace("-", "");
                ACCEPTED.add(new Accepted(path[2], exchange.getRequestHeaders().getFirst("Authorization"), body, wamid, System.nanoTime()));
                if (fault == Fault.LOST_ANSWER) {
                    sleep(SLOW_MILLIS);
                }
                respond(exchange, 200, new JsonObject().put("messaging_product", "whatsapp")
                        .put("contacts", List.of(Map.of("input", to, "wa_id", to.replace("+", ""))))
                        .put("messages", List.of(Map.of("id", wamid))));
                if (WEBHOOKS.containsKey(path[2])) {
                    STATUS_SENDER.execute(() -> postSentStatus(path[2], wamid, to, body.getString("biz_opaque_callback_data")));
                }
                return;
            }
            switch (fault) {
                case SERVER_ERROR -> respond(exchange, 500, error(1, "An unknown error occurred"));
                case TOO_MANY_REQUESTS -> {
                    exchange.getResponseHeaders().add("Retry-After", "0");
                    respond(exchange, 429, error(80007, "Rate limit issues"));
                }
                case THROUGHPUT -> respond(exchange, 400, error(130429, "Rate limit hit"));
                case TIMEOUT -> {
                    sleep(SLOW_MILLIS);
                    respond(exchange, 500, error(1, "too late"));
                }
                case REENGAGEMENT -> respond(exchange, 400, error(131047, "(#131047) Re-engagement message")
                        .put("error", error(131047, "(#131047) Re-engagement message").getJsonObject("error")
                                .put("error_data", Map.of("details", "Message failed to send because more than 24 hours have passed "
                                        + "since the customer last replied to this number."))));
                default -> throw new IllegalStateException();
            }
        }
    }

    private static final java.util.concurrent.ExecutorService STATUS_SENDER = Executors.newCachedThreadPool();

    private static void postSentStatus(String phoneNumberId, String wamid, String to, String callbackData) {
        JsonObject status = new JsonObject().put("id", wamid).put("status", "sent")
                .put("timestamp", Long.toString(System.currentTimeMillis() / 1000)).put("recipient_id", to.replace("+", ""));
        if (callbackData != null) {
            status.put("biz_opaque_callback_data", callbackData);
        }
        byte[] body = new JsonObject().put("object", "whatsapp_business_account").put("entry", List.of(new JsonObject().put("id", "WABA")
                .put("changes", List.of(new JsonObject().put("field", "messages").put("value", new JsonObject()
                        .put("messaging_product", "whatsapp")
                        .put("metadata", new JsonObject().put("display_phone_number", "15550783881").put("phone_number_id", phoneNumberId))
                        .put("statuses", List.of(status))))))).encode().getBytes(StandardCharsets.UTF_8);
        // Meta retries until it gets a 200 (for days); a minute is plenty for a restart in a test. The
        // target is read on each attempt: a restarted instance may listen elsewhere.
        for (int attempt = 0; attempt < 120; attempt++) {
            String[] target = WEBHOOKS.get(phoneNumberId);
            HttpRequest request = HttpRequest.newBuilder(URI.create(target[0])).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .header("X-Hub-Signature-256", dev.baton.whatsapp.WebhookSignature.sign(body, target[1]))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            try {
                if (WEBHOOK_CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Baton is down: try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(500);
        }
    }

    private static JsonObject error(int code, String message) {
        return new JsonObject().put("error", new JsonObject().put("message", message).put("type", "OAuthException").put("code", code)
                .put("fbtrace_id", "Az" + code));
    }

    private static void respond(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientGone) {
            // Baton gave up waiting (a timeout fault): nobody reads this answer.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
