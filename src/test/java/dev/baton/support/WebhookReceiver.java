package dev.baton.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.vertx.core.json.JsonObject;

/**
 * A business's webhook receiver on 127.0.0.1, with its own Standard Webhooks verifier (written from
 * the spec, sharing nothing with the sender). Each request is answered by {@code behaviour} (which
 * may hang); every request is recorded, and a second request carrying a webhook-id that is still
 * being answered counts as a concurrent duplicate.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Received(String id, String timestamp, String signature, String body, String host, long atNanos) {
        public JsonObject json() {
            return new JsonObject(body);
        }
    }

    /** How to answer: the status, extra headers, and how long to hold the answer first. */
    public record Reply(int status, Map<String, String> headers, long holdMillis) {
        public static Reply ok() {
            return new Reply(200, Map.of(), 0);
        }

        public static Reply status(int status) {
            return new Reply(status, Map.of(), 0);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> answering = new ConcurrentHashMap<>();
    private final AtomicInteger concurrentDuplicates = new AtomicInteger();
    private volatile Function<Received, Reply> behaviour;

    private WebhookReceiver(Function<Received, Reply> behaviour) throws IOException {
        this.behaviour = behaviour;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public static WebhookReceiver start(Function<Received, Reply> behaviour) {
        try {
            return new WebhookReceiver(behaviour);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static WebhookReceiver ok() {
        return start(r -> Reply.ok());
    }

    public void answer(Function<Received, Reply> next) {
        behaviour = next;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/hooks/baton";
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> received(String type) {
        return received.stream().filter(r -> type.equals(r.json().getString("type"))).toList();
    }

    public int concurrentDuplicates() {
        return concurrentDuplicates.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Received r = new Received(exchange.getRequestHeaders().getFirst("webhook-id"),
                exchange.getRequestHeaders().getFirst("webhook-timestamp"), exchange.getRequestHeaders().getFirst("webhook-signature"),
                new String(body, StandardCharsets.UTF_8), exchange.getRequestHeaders().getFirst("Host"), System.nanoTime());
        if (r.id() != null && answering.merge(r.id(), 1, Integer::sum) > 1) {
            concurrentDuplicates.incrementAndGet();
        }
        received.add(r);
        try {
            Reply reply = behaviour.apply(r);
            if (reply.holdMillis() > 0) {
                Thread.sleep(reply.holdMillis());
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(reply.status(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (r.id() != null) {
                answering.merge(r.id(), -1, Integer::sum);
            }
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /**
     * Standard Webhooks verification as a receiver does it: the secret is {@code whsec_} + base64
     * key; the signed content is {@code id.timestamp.body}; the header holds space-separated
     * {@code v1,<base64>} entries, any one of which may match; the timestamp must be within five
     * minutes of now ({@code nowSeconds}). Returns why it fails, or null when it verifies.
     */
    public static String verify(String secret, String id, String timestamp, String signatureHeader, String body, long nowSeconds) {
        if (id == null || timestamp == null || signatureHeader == null) {
            return "missing webhook-id, webhook-timestamp or webhook-signature";
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "webhook-timestamp is not an integer";
        }
        if (Math.abs(nowSeconds - ts) > 300) {
            return "webhook-timestamp is more than five minutes off";
        }
        byte[] expected;
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            String key = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
            hmac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            expected = hmac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            return "cannot compute: " + e;
        }
        for (String entry : signatureHeader.split(" ")) {
            int comma = entry.indexOf(',');
            if (comma > 0 && entry.substring(0, comma).equals("v1")) {
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(entry.substring(comma + 1));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    return null;
                }
            }
        }
        return "no v1 signature matches";
    }

    /** {@link #verify} of a received request against now. */
    public static String verify(String secret, Received r) {
        return verify(secret, r.id(), r.timestamp(), r.signature(), r.body(), System.currentTimeMillis() / 1000);
    }
}
