package dev.baton.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.restassured.RestAssured;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/** Real WebSocket clients for tests (Vert.x core client), each recording the frames it receives. */
public final class Sockets {

    private static final Vertx VERTX = Vertx.vertx();
    /** Vert.x allows 50 sockets per server by default and queues the rest: tests open hundreds. */
    private static final WebSocketClient CLIENT = VERTX.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000));

    private Sockets() {
    }

    /** One open client socket and what it has received. */
    public static final class Client {
        public final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        public final CompletableFuture<Short> closed = new CompletableFuture<>();
        final List<JsonObject> seen = new ArrayList<>();
        WebSocket socket;

        /** The next frame of the given type (frames of other types before it are kept in {@link #seen}); fails after 10 s. */
        public JsonObject next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                JsonObject frame = frames.poll(100, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    seen.add(frame);
                    if (type.equals(frame.getString("type"))) {
                        return frame;
                    }
                }
            }
            throw new AssertionError("no '" + type + "' frame within 10 s; saw " + seen);
        }

        /** Every frame received in the next {@code millis} ms. */
        public List<JsonObject> drain(long millis) throws InterruptedException {
            List<JsonObject> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (System.nanoTime() < deadline) {
                JsonObject frame = frames.poll(20, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    out.add(frame);
                }
            }
            seen.addAll(out);
            return out;
        }

        public void sendText(String text) {
            socket.writeTextMessage(text);
        }

        public void sendBinary(byte[] bytes) {
            socket.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(bytes));
        }

        /** Closes and waits (up to 5 s) for the closing handshake, so the server has let go of the socket on return. */
        public void close() {
            socket.close();
            try {
                closed.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the socket did not close within 5 s", e);
            }
        }

        /** The underlying socket, for frames the helpers above do not send (fragments, control frames). */
        public WebSocket socket() {
            return socket;
        }
    }

    /**
     * An inbox socket whose first frame ({@code inbox.snapshot}) has arrived; it stays queued for the
     * test to read. Very rarely (once in this suite's full runs since the client race described in
     * {@link #connect} was fixed; not reproduced in 800 probe connections, under CPU load or not) a
     * fresh socket still never sees its first frame, with no error on either side. A real client
     * reconnects; so does this one, at most twice, saying so on stderr.
     */
    public static Client inbox(String token) {
        for (int attempt = 1;; attempt++) {
            Client client = connect(RestAssured.port, "/ws/v1/inbox", headers("Authorization", "Bearer " + token));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (client.frames.peek() == null && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return client;
                }
            }
            if (client.frames.peek() != null || attempt == 3) {
                return client;
            }
            System.err.println("inbox socket: no first frame within 3 s, reconnecting (attempt " + (attempt + 1) + ")");
            client.close();
        }
    }

    /** An inbox whose first frame, {@code inbox.snapshot}, has arrived (consumed). */
    public static Client openInbox(String token) throws InterruptedException {
        Client client = inbox(token);
        client.next("inbox.snapshot");
        return client;
    }

    public static Client monitor(String chatId, String token) {
        return connect(RestAssured.port, "/ws/v1/chats/" + chatId + "/monitor", headers("Authorization", "Bearer " + token));
    }

    public static MultiMap headers(String... pairs) {
        MultiMap map = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            map.add(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    public static Client connect(int port, String path, MultiMap headers) {
        return connect(port, path, headers, List.of());
    }

    public static Client connect(int port, String path, MultiMap headers, List<String> subprotocols) {
        Client client = new Client();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(port).setURI(path)
                .setHeaders(headers).setSubProtocols(subprotocols);
        // Handlers are set before connecting. Set in a callback on the connect future, they raced
        // the server's first frame: when the test thread added the callback only after the upgrade
        // had completed (a descheduled thread on a loaded machine), the callback ran on the test
        // thread while the event loop had already dropped the frame for want of a handler.
        ClientWebSocket socket = CLIENT.webSocket();
        socket.textMessageHandler(text -> client.frames.add(new JsonObject(text)));
        socket.closeHandler(v -> client.closed.complete(socket.closeStatusCode()));
        try {
            // Generous: tests that open many sockets at once run on shared, loaded CI cores.
            socket.connect(options).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            client.socket = socket;
        } catch (Exception e) {
            throw new IllegalStateException("upgrade failed: " + e.getMessage(), e);
        }
        return client;
    }

    /** Attempts an upgrade that should be refused; returns the HTTP status of the refusal. */
    public static int refusal(String path, MultiMap headers, List<String> subprotocols) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(RestAssured.port)
                .setURI(path).setHeaders(headers).setSubProtocols(subprotocols);
        try {
            WebSocket socket = CLIENT.connect(options).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            socket.close();
            throw new AssertionError("upgrade to " + path + " was accepted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) {
                return rejected.getStatus();
            }
            throw new AssertionError("unexpected failure: " + e.getCause(), e);
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }
}
