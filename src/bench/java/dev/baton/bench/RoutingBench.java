package dev.baton.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Workload "routing" (issue 13): {@code chats} customers ask for a human at once (POST
 * /inbound/messages with handoff, 64 in flight) while {@code agents} agents are ONLINE with
 * {@code maxChats}=5 and the workspace routes LEAST_LOADED. Reports automatic assignments per second
 * (first hand-off committed to last ASSIGN committed), the latency from the hand-off POST to the
 * {@code chat.assigned} frame on the assignee's inbox socket (every agent is connected), and from
 * the chat's HANDOFF entry to its ASSIGN entry (server clock, both in the ledger), beside a same-run
 * SQL ceiling of the bare claim: lock the agent's load row, update the chat, insert the ledger row, commit.
 */
final class RoutingBench {

    private static final int CAP = 5;

    private final Env env;
    private final Path target;

    RoutingBench(Env env, Path target) {
        this.env = env;
        this.target = target;
    }

    String run() throws Exception {
        int chats = env.config.routingChats();
        int agents = env.config.routingAgents();
        int inFlightPosts = env.config.routingInFlight();
        int capacity = agents * CAP;
        Env.Service service = env.startService(target, 18080);
        Env.Seed seed = env.seed(service, "routing", agents, 0, 0);
        UUID ws = seed.workspaceId();
        Env.await(env.pg.preparedQuery("update agent set max_chats = $2, availability = case when role = 'OWNER' then 'BUSY' else 'ONLINE' end "
                + "where workspace_id = $1").execute(Tuple.of(ws, CAP)));
        Env.await(env.pg.preparedQuery("insert into routing_settings (workspace_id, mode) values ($1, 'LEAST_LOADED')").execute(Tuple.of(ws)));
        HttpClient http = env.vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(inFlightPosts).setKeepAlive(true)
                .setDefaultHost(Env.HOST).setDefaultPort(service.port()));
        String ownerToken = env.token(seed.ownerId(), ws);
        String channel = call(http, ownerToken, "/api/v1/channel-tokens", new JsonObject().put("name", "bench")).getString("token");
        // chat id → when its chat.assigned frame reached the assignee; hand-off POST sent, by chat id once answered.
        Map<String, Long> assignedFrame = new ConcurrentHashMap<>();
        Map<String, Long> handoffSent = new ConcurrentHashMap<>();
        WebSocketClient sockets = connect(service.port(), seed, assignedFrame);

        env.resetStatements();
        long cpu0 = service.cpuMs();
        long pg0 = env.postgresCpuMs();
        long t0 = System.nanoTime();
        Semaphore inFlight = new Semaphore(inFlightPosts);
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < chats; i++) {
            inFlight.acquire();
            JsonObject body = new JsonObject().put("externalId", "route-" + i)
                    .put("customer", new JsonObject().put("phone", "+1666" + String.format("%07d", i))).put("text", "help").put("handoff", true);
            CompletableFuture<String> done = new CompletableFuture<>();
            long sent = System.nanoTime();
            handOff(http, channel, body, 0, retried, done);
            all.add(done.handle((chat, failure) -> {
                if (chat == null) {
                    failed.incrementAndGet();
                } else {
                    handoffSent.put(chat, sent);
                }
                inFlight.release();
                return null;
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        double postSeconds = (System.nanoTime() - t0) / 1e9;
        int expected = Math.min(chats, capacity);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        long assigned = 0;
        while (System.nanoTime() < deadline && (assigned = assigned(ws)) < expected) {
            Thread.sleep(200);
        }
        // The last frames of the last assignments may still be on their way.
        long frames = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < frames && assignedFrame.size() < assigned) {
            Thread.sleep(100);
        }
        String cpu = String.format("%.2f / %.2f", (service.cpuMs() - cpu0) / (double) Math.max(1, assigned),
                (env.postgresCpuMs() - pg0) / (double) Math.max(1, assigned));
        Env.Statements statements = env.statements("assignment", assigned);
        Recorder toSocket = new Recorder();
        handoffSent.forEach((chat, sent) -> {
            Long got = assignedFrame.get(chat);
            if (got != null) {
                toSocket.add((got - sent) / 1000);
            }
        });
        Env.await(sockets.close());
        Row span = Env.await(env.pg.preparedQuery("select extract(epoch from max(a.created_at) - min(h.created_at)), "
                + "percentile_cont(0.5) within group (order by extract(epoch from a.created_at - h.created_at)), "
                + "percentile_cont(0.99) within group (order by extract(epoch from a.created_at - h.created_at)), "
                + "(select count(*) from chat c where c.workspace_id = $1 and c.holder_id is not null group by c.holder_id order by 1 desc limit 1) "
                + "from timeline_entry a join timeline_entry h on h.chat_id = a.chat_id and h.custody_action = 'HANDOFF' "
                + "where a.workspace_id = $1 and a.custody_action = 'ASSIGN'").execute(Tuple.of(ws))).iterator().next();
        double seconds = span.getNumeric(0) == null ? Double.NaN : span.getNumeric(0).doubleValue();
        System.out.printf("Baton: %d assigned in %.1f s, socket p50 %.0f ms p99 %.0f ms%n", assigned, seconds, toSocket.percentileMs(50),
                toSocket.percentileMs(99));
        for (Row row : Env.await(env.pg.preparedQuery("select custody_action, floor(extract(epoch from created_at - (select min(created_at) from timeline_entry "
                + "where workspace_id = $1)) / 5) * 5 as s, count(*) from timeline_entry where workspace_id = $1 and custody_action in ('HANDOFF', 'ASSIGN') "
                + "group by 1, 2 order by 2, 1").execute(Tuple.of(ws)))) {
            System.out.printf("  %s at %s s: %d%n", row.getString(0), row.getValue(1), row.getLong(2));
        }
        // The chats left waiting (beyond capacity) would keep Baton's router and its sweep busy during the ceiling's run.
        Env.await(env.pg.preparedQuery("update routing_settings set mode = 'MANUAL' where workspace_id = $1").execute(Tuple.of(ws)));
        double ceiling = ceiling(seed, expected, inFlightPosts);
        Env.await(http.close());
        Bench.Table table = new Bench.Table("chats", "ONLINE agents × cap", "assigned", "hand-offs posted in s", "Baton assignments/s",
                "hand-off POST → chat.assigned on the socket p50 ms", "p99 ms", "frames received", "HANDOFF → ASSIGN (ledger) p50 ms", "p99 ms",
                "max held by one agent", "SQL ceiling claims/s", "ratio to the ceiling", "posts failed / retried after 503",
                "CPU ms per assignment, hand-offs included (service / PG)", "statements per assignment, hand-offs included");
        table.row(chats, agents + " × " + CAP, assigned, postSeconds, assigned / seconds, toSocket.percentileMs(50), toSocket.percentileMs(99),
                toSocket.count(), seconds(span, 1) * 1000, seconds(span, 2) * 1000, span.getValue(3) == null ? 0 : span.getLong(3), ceiling,
                String.format("%.3f×", assigned / seconds / ceiling), failed.get() + " / " + retried.get(), cpu, statements.total());
        return "LEAST_LOADED; every agent on /ws/v1/inbox; " + chats + " hand-offs through POST /inbound/messages, " + inFlightPosts
                + " in flight (a 503 retried after a pause, same externalId); assignments/s from the first HANDOFF to the last ASSIGN (ledger); socket latency from sending the hand-off POST to "
                + "the chat.assigned frame at the assignee (waiting for at most 5 min for " + expected + " assignments); ceiling = the bare claim by "
                + inFlightPosts + " concurrent SQL workers on a second workspace. CPU and statements from the first hand-off to the last "
                + "assignment, divided by the assignments (statements=on).\n\n" + table + statements.table();
    }

    /**
     * One hand-off; a 503 (no pooled connection in time) is retried after a pause, as a channel would, with the same
     * externalId (so never twice). Completes with the chat id, or null when it finally failed.
     */
    private void handOff(HttpClient http, String channel, JsonObject body, int attempt, AtomicInteger retried, CompletableFuture<String> done) {
        post(http, channel, "/api/v1/inbound/messages", body).compose(resp -> resp.body().map(b -> switch (resp.statusCode()) {
            case 201 -> new JsonObject(b).getString("chatId");
            case 503 -> "";
            default -> null;
        })).onComplete(ar -> {
            if (ar.succeeded() && "".equals(ar.result()) && attempt < 10) {
                retried.incrementAndGet();
                env.vertx.setTimer(200L * (attempt + 1), id -> handOff(http, channel, body, attempt + 1, retried, done));
            } else {
                done.complete(ar.succeeded() && ar.result() != null && !ar.result().isEmpty() ? ar.result() : null);
            }
        });
    }

    private static double seconds(Row span, int column) {
        return span.getValue(column) == null ? Double.NaN : ((Number) span.getValue(column)).doubleValue();
    }

    /** One inbox socket per agent (each counts once its snapshot arrived); notes when each chat's chat.assigned frame arrives. */
    private WebSocketClient connect(int port, Env.Seed seed, Map<String, Long> assignedFrame) throws Exception {
        WebSocketClient client = env.vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000)
                .setLocalAddress("127.0.0.2").setConnectTimeout(30_000).setMaxFrameSize(65536));
        List<CompletableFuture<io.vertx.core.http.WebSocket>> open = new ArrayList<>();
        AtomicInteger retried = new AtomicInteger();
        for (UUID agent : seed.agents()) {
            open.add(InboxSocket.open(env.vertx, client, new WebSocketConnectOptions().setHost(Env.HOST).setPort(port).setURI("/ws/v1/inbox")
                    .addHeader("Authorization", "Bearer " + env.token(agent, seed.workspaceId())), frame -> {
                        if ("chat.assigned".equals(frame.getString("type"))) {
                            assignedFrame.putIfAbsent(frame.getString("chatId"), System.nanoTime());
                        }
                    }, retried).toCompletionStage().toCompletableFuture());
        }
        CompletableFuture.allOf(open.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        System.out.printf("%d sockets open (%d refused with 503 or closed before their snapshot, and retried)%n", open.size(), retried.get());
        return client;
    }

    private long assigned(UUID ws) throws Exception {
        return Env.await(env.pg.preparedQuery("select count(*) from timeline_entry where workspace_id = $1 and custody_action = 'ASSIGN'")
                .execute(Tuple.of(ws))).iterator().next().getLong(0);
    }

    /** The bare claim, {@code n} times over a second workspace's waiting chats, agents in rotation. */
    private double ceiling(Env.Seed first, int n, int concurrency) throws Exception {
        Env.Seed seed = env.seed(null, "routing-ceiling", first.agents().size(), 0, 0);
        Env.await(env.pg.preparedQuery("insert into agent_load (agent_id, workspace_id) select id, workspace_id from agent where workspace_id = $1 "
                + "on conflict (agent_id) do nothing")
                .execute(Tuple.of(seed.workspaceId())));
        Env.await(env.pg.preparedQuery("insert into chat (id, workspace_id, customer_phone, status, version, last_seq, activity_at, created_at, "
                + "queued_at) select gen_random_uuid(), $1, '+1777' || lpad(g::text, 7, '0'), 'REQUESTING', 0, 0, now(), now(), now() "
                + "from generate_series(1, $2) g").execute(Tuple.of(seed.workspaceId(), n)));
        List<UUID> waiting = new ArrayList<>();
        for (Row row : Env.await(env.pg.preparedQuery("select id from chat where workspace_id = $1 order by queued_at, id")
                .execute(Tuple.of(seed.workspaceId())))) {
            waiting.add(row.getUUID(0));
        }
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            workers.add(done);
            env.vertx.runOnContext(v -> new Object() {
                void claim() {
                    int i = next.getAndIncrement();
                    if (i >= waiting.size()) {
                        done.complete(null);
                        return;
                    }
                    UUID agent = seed.agents().get(i % seed.agents().size());
                    UUID chat = waiting.get(i);
                    env.pg.withTransaction(conn -> conn.preparedQuery("select agent_id from agent_load where agent_id = $1 for update")
                            .execute(Tuple.of(agent))
                            .compose(locked -> conn.preparedQuery("update chat set status = 'INTERVENED', holder_id = $2, version = version + 1, "
                                    + "last_seq = last_seq + 1 where id = $1 and status = 'REQUESTING' returning last_seq, workspace_id")
                                    .execute(Tuple.of(chat, agent)))
                            .compose(rows -> {
                                Row row = rows.iterator().next();
                                return conn.preparedQuery("insert into timeline_entry (chat_id, seq, workspace_id, kind, custody_action, to_agent_id, "
                                        + "reason, created_at) values ($1, $2, $3, 'CUSTODY', 'ASSIGN', $4, 'LEAST_LOADED', now())")
                                        .execute(Tuple.of(chat, row.getLong(0), row.getUUID(1), agent));
                            })).onComplete(ar -> claim());
                }
            }.claim());
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static Future<io.vertx.core.http.HttpClientResponse> post(HttpClient http, String token, String path, JsonObject body) {
        return http.request(HttpMethod.POST, path).compose(req -> req.putHeader("Authorization", "Bearer " + token)
                .putHeader("Content-Type", "application/json").send(Buffer.buffer(body.encode())));
    }

    private static JsonObject call(HttpClient http, String token, String path, JsonObject body) throws Exception {
        return Env.await(post(http, token, path, body).compose(resp -> resp.body().map(b -> new JsonObject(b))));
    }
}
