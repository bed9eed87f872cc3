package dev.baton.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * Opens one {@code /ws/v1/inbox} socket the way a client does: an upgrade refused with 503 (no pooled
 * connection in time: "later"), or a socket the server closes before its {@code inbox.snapshot} (1011: it
 * failed to register it), is tried again after a growing pause, five times at most. The future completes
 * with the socket once its snapshot arrived; every later frame goes to {@code frames}.
 */
final class InboxSocket {

    private static final int ATTEMPTS = 5;

    private InboxSocket() {
    }

    static Future<WebSocket> open(Vertx vertx, WebSocketClient client, WebSocketConnectOptions options, Consumer<JsonObject> frames,
            AtomicInteger retried) {
        Promise<WebSocket> ready = Promise.promise();
        attempt(vertx, client, options, frames, retried, ready, 0);
        return ready.future();
    }

    private static void attempt(Vertx vertx, WebSocketClient client, WebSocketConnectOptions options, Consumer<JsonObject> frames,
            AtomicInteger retried, Promise<WebSocket> ready, int attempt) {
        Runnable again = () -> {
            retried.incrementAndGet();
            vertx.setTimer(500L << attempt, id -> attempt(vertx, client, options, frames, retried, ready, attempt + 1));
        };
        client.connect(options).onSuccess(ws -> {
            ws.textMessageHandler(text -> {
                JsonObject frame = new JsonObject(text);
                if (!ready.future().isComplete() && "inbox.snapshot".equals(frame.getString("type"))) {
                    ready.tryComplete(ws);
                } else {
                    frames.accept(frame);
                }
            });
            ws.closeHandler(v -> {
                if (ready.future().isComplete()) {
                    return;
                }
                if (attempt + 1 < ATTEMPTS) {
                    again.run();
                } else {
                    ready.tryFail("closed by the server before inbox.snapshot: " + ws.closeStatusCode() + " " + ws.closeReason());
                }
            });
        }).onFailure(e -> {
            if (e instanceof UpgradeRejectedException rejected && rejected.getStatus() == 503 && attempt + 1 < ATTEMPTS) {
                again.run();
            } else {
                ready.tryFail(e);
            }
        });
    }
}
