package dev.baton.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * The delivery ceiling: a bare Vert.x HTTP + WebSocket server, in its own JVM like the service,
 * that routes the same inbound messages to the same inbox sockets as the same event frames, with
 * no authentication, no database and no outbox. {@code CeilingServer <port> <phone chat agent workspace file>}.
 */
public final class CeilingServer extends AbstractVerticle {

    record Route(String chatId, String agentId, String workspaceId, AtomicLong seq) {
    }

    private static final Map<String, Route> ROUTES = new ConcurrentHashMap<>();
    private static final Map<String, ServerWebSocket> SOCKETS = new ConcurrentHashMap<>();
    private static int port;

    public static void main(String[] args) throws Exception {
        port = Integer.parseInt(args[0]);
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String[] f = line.split(" ");
            ROUTES.put(f[0], new Route(f[1], f[2], f[3], new AtomicLong()));
        }
        Vertx vertx = Vertx.vertx();
        // As many server instances as Quarkus runs event loops (2 × cores).
        vertx.deployVerticle(CeilingServer.class.getName(),
                new DeploymentOptions().setInstances(2 * Runtime.getRuntime().availableProcessors()))
                .toCompletionStage().toCompletableFuture().get();
        System.out.println("ceiling ready on " + port);
    }

    @Override
    public void start(io.vertx.core.Promise<Void> started) {
        vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketFrameSize(16384))
                .webSocketHandler(ws -> {
                    String agent = ws.headers().get("X-Agent");
                    if (!"/ws/v1/inbox".equals(ws.path()) || agent == null) {
                        ws.reject(401);
                        return;
                    }
                    SOCKETS.put(agent, ws);
                    ws.closeHandler(v -> SOCKETS.remove(agent, ws));
                    ws.writeTextMessage(new JsonObject().put("type", "inbox.snapshot").put("data", new JsonObject()).encode());
                })
                .requestHandler(req -> {
                    if (req.path().equals("/health")) {
                        req.response().end("ok");
                        return;
                    }
                    req.body().onSuccess(body -> {
                        JsonObject in = body.toJsonObject();
                        Route route = ROUTES.get(in.getJsonObject("customer").getString("phone"));
                        long seq = route.seq().incrementAndGet();
                        String at = OffsetDateTime.now(ZoneOffset.UTC).toString();
                        JsonObject entry = new JsonObject().put("chatId", route.chatId()).put("seq", seq).put("kind", "INBOUND")
                                .put("at", at).putNull("author").put("text", in.getString("text"))
                                .put("externalId", in.getString("externalId"));
                        String frame = new JsonObject().put("type", "message.created").put("workspaceId", route.workspaceId())
                                .put("chatId", route.chatId()).put("seq", seq).put("at", at).putNull("performer").put("data", entry)
                                .encode();
                        ServerWebSocket ws = SOCKETS.get(route.agentId());
                        if (ws != null) {
                            ws.writeTextMessage(frame);
                        }
                        req.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                                .end(new JsonObject().put("chatId", route.chatId()).put("seq", seq).encode());
                    });
                })
                .listen(port, Env.HOST)
                .onComplete(ar -> started.handle(ar.mapEmpty()));
    }
}
