package dev.baton.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Workload "webhooks": the transfer closed loop with webhooks off, then with endpoints subscribed
 * to chat.custody_changed — {@code endpoints} healthy local receivers and (unless {@code hanging=off})
 * one that never answers, every attempt running into the 15 s timeout — giving transfers/s, CPU and
 * statements per transfer beside deliveries/s and commit → webhook received latency; then a backlog of
 * deliveries to one healthy receiver, drained as fast as the sender goes (deliveries/s).
 */
final class WebhookBench {

    private final Env env;
    private final Path target;
    private Env.Seed seed;
    private String ownerToken;
    private int servicePort;

    WebhookBench(Env env, Path target) {
        this.env = env;
        this.target = target;
    }

    /** Statuses of one closed-loop phase's transfers in its measured window. */
    record Outcome(int ok, int conflict409, int other, int all) {
        String describe() {
            return ok + " / " + conflict409 + " / " + other;
        }
    }

    String run() throws Exception {
        Config c = env.config;
        Env.Service service = env.startService(target, 18090, Map.of("BATON_WEBHOOKS_ALLOW_PRIVATE_NETWORKS", "true"));
        seed = env.seed(service, "webhooks", c.agents(), c.managers(), c.chats());
        ownerToken = env.token(seed.ownerId(), seed.workspaceId());
        servicePort = service.port();
        int clients = c.clients().get(c.clients().size() - 1);
        HttpClient http = env.vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(clients).setKeepAlive(true)
                .setDefaultHost(Env.HOST).setDefaultPort(service.port()));

        // "endpoint/chatId:seq" → when the delivery arrived; "chatId:seq" → when the transfer's 200 arrived (after its commit).
        Map<String, Long> answeredAt = new ConcurrentHashMap<>();
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        AtomicInteger received = new AtomicInteger();
        // One server per healthy endpoint: Baton pools connections per destination, and real endpoints are distinct hosts.
        List<HttpServer> healthy = new ArrayList<>();
        for (int i = 0; i < c.webhookEndpoints(); i++) {
            String endpoint = "/hook/" + i + "/";
            healthy.add(Env.await(env.vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
                JsonObject json = body.toJsonObject();
                receivedAt.putIfAbsent(endpoint + json.getString("chatId") + ":" + json.getLong("seq"), System.nanoTime());
                received.incrementAndGet();
                req.response().setStatusCode(204).end();
            })).listen(0, Env.HOST)));
        }
        HttpServer hanging = Env.await(env.vertx.createHttpServer().requestHandler(req -> {
            // never answers: every attempt waits for Baton's timeout
        }).listen(0, Env.HOST));

        closedLoop(http, clients, c.jitWarmupSeconds(), 0, null, null); // JIT warm-up, unmeasured
        Recorder off = new Recorder();
        long[] cpu = { service.cpuMs(), env.postgresCpuMs() };
        env.resetStatements();
        Outcome offOk = closedLoop(http, clients, c.warmupSeconds(), c.durationSeconds(), off, null);
        String offCost = costPerTransfer(service, cpu, offOk);
        Env.Statements offSql = env.statements("transfer", offOk.all());

        List<String> healthyIds = new ArrayList<>();
        for (HttpServer server : healthy) {
            healthyIds.add(webhook("http://" + Env.HOST + ":" + server.actualPort() + "/hook"));
        }
        if (c.hangingEndpoint()) {
            webhook("http://" + Env.HOST + ":" + hanging.actualPort() + "/hook");
        }
        Recorder on = new Recorder();
        int receivedBefore = received.get();
        long phaseStart = System.nanoTime();
        cpu = new long[] { service.cpuMs(), env.postgresCpuMs() };
        env.resetStatements();
        Outcome onOk = closedLoop(http, clients, c.warmupSeconds(), c.durationSeconds(), on, answeredAt);
        double duringPhase = (received.get() - receivedBefore) / ((System.nanoTime() - phaseStart) / 1e9);
        String onCost = costPerTransfer(service, cpu, onOk);
        Env.Statements onSql = env.statements("transfer", onOk.all());
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < waitUntil && receivedAt.size() < answeredAt.size() * healthyIds.size()) {
            Thread.sleep(100);
        }
        Recorder endToEnd = new Recorder();
        int missing = 0;
        for (Map.Entry<String, Long> answered : answeredAt.entrySet()) {
            for (int i = 0; i < healthyIds.size(); i++) {
                Long got = receivedAt.get("/hook/" + i + "/" + answered.getKey());
                if (got == null) {
                    missing++;
                } else {
                    endToEnd.add((got - answered.getValue()) / 1000);
                }
            }
        }

        // Where the time went: the consumer (event committed → delivery row) or the sender (row → delivered).
        for (Row row : Env.await(env.pg.preparedQuery("select count(*), count(*) filter (where d.status = 'DELIVERED'), "
                + "percentile_cont(0.5) within group (order by extract(epoch from d.created_at - e.created_at)), "
                + "percentile_cont(0.99) within group (order by extract(epoch from d.created_at - e.created_at)), "
                + "percentile_cont(0.5) within group (order by extract(epoch from d.delivered_at - d.created_at)), "
                + "percentile_cont(0.99) within group (order by extract(epoch from d.delivered_at - d.created_at)), avg(d.attempts) "
                + "from webhook_delivery d left join event e on e.id = cast(split_part(d.message_id, '_', 2) as bigint) where d.endpoint_id = $1")
                .execute(Tuple.of(UUID.fromString(healthyIds.get(0)))))) {
            System.out.printf("healthy endpoint: %d rows, %d delivered; event → row p50 %s s p99 %s s; row → delivered p50 %s s p99 %s s; "
                    + "attempts %s%n", row.getLong(0), row.getLong(1), row.getValue(2), row.getValue(3), row.getValue(4), row.getValue(5),
                    row.getValue(6));
        }
        int backlog = c.smoke() ? 2_000 : 20_000;
        Env.rows(env.pg.preparedQuery("update webhook_endpoint set active = false where id <> $1 and workspace_id = $2")
                .execute(Tuple.of(UUID.fromString(healthyIds.get(0)), seed.workspaceId())));
        int before = received.get();
        long t0 = System.nanoTime();
        Env.rows(env.pg.preparedQuery("insert into webhook_delivery (id, endpoint_id, workspace_id, message_id, event_type, body, status, "
                + "attempts, due_at, created_at) select gen_random_uuid(), $1, $2, 'msg_bench_' || g, 'note.created', "
                + "'{\"chatId\":\"bench\",\"seq\":' || g || '}', 'PENDING', 0, now(), now() from generate_series(1, $3) g")
                .execute(Tuple.of(UUID.fromString(healthyIds.get(0)), seed.workspaceId(), backlog)));
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (received.get() - before < backlog && System.nanoTime() < drainDeadline) {
            Thread.sleep(50);
        }
        double drainSeconds = (System.nanoTime() - t0) / 1e9;
        double deliveriesPerSecond = (received.get() - before) / drainSeconds;
        Env.await(http.close());
        for (HttpServer server : healthy) {
            Env.await(server.close());
        }
        Env.await(hanging.close());

        String receivers = healthyIds.size() + " healthy" + (c.hangingEndpoint() ? " + 1 hanging" : "") + " receiver(s)";
        Bench.Table table = new Bench.Table("phase", "transfers/s", "transfer p50 ms", "transfer p99 ms", "200 / 409 / other",
                "CPU ms/transfer (service / PG)", "statements/transfer", "deliveries/s received during the phase", "200 answered → webhook received p50 ms", "p99 ms", "not received in 30 s",
                "deliveries/s (backlog drain, one endpoint)");
        table.row("webhooks off", offOk.ok() / (double) c.durationSeconds(), off.percentileMs(50), off.percentileMs(99), offOk.describe(),
                offCost, offSql.total(), "–", "–", "–", "–", "–");
        table.row(receivers, onOk.ok() / (double) c.durationSeconds(), on.percentileMs(50), on.percentileMs(99), onOk.describe(),
                onCost, onSql.total(), duringPhase, endToEnd.percentileMs(50), endToEnd.percentileMs(99), missing, "–");
        table.row("backlog of " + backlog + " to one healthy receiver", "–", "–", "–", "–", "–", "–", "–", "–", "–", "–", deliveriesPerSecond);
        return c.chats() + " chats, " + c.agents() + " agents, " + clients + " clients transferring (closed loop, the owner's token, force, no If-Match), Baton warmed first with " + c.jitWarmupSeconds() + " s of the same loop; warm-up "
                + c.warmupSeconds() + " s + " + c.durationSeconds() + " s measured per phase; receivers on 127.0.0.1 in the bench JVM, each "
                + "endpoint subscribed to chat.custody_changed; the hanging one never answers (15 s timeout). Latency from the transfer's "
                + "200 (its commit came before) to the delivery's arrival, per healthy endpoint. CPU and statements per transfer request "
                + "(warm-up included; statements=on).\n\n" + table
                + (c.statements() ? "\n#### webhooks off\n" + offSql.table() + "\n#### " + receivers + "\n" + onSql.table() : "");
    }

    /** Service / PostgreSQL CPU ms per transfer request since {@code cpu} = {service, PostgreSQL} was read. */
    private String costPerTransfer(Env.Service service, long[] cpu, Outcome outcome) throws Exception {
        double n = Math.max(1, outcome.all());
        return String.format("%.2f / %.2f", (service.cpuMs() - cpu[0]) / n, (env.postgresCpuMs() - cpu[1]) / n);
    }

    private String webhook(String url) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://" + Env.HOST + ":" + servicePort + "/api/v1/webhooks"))
                .header("Authorization", "Bearer " + ownerToken).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("url", url)
                        .put("events", new io.vertx.core.json.JsonArray().add("chat.custody_changed")).encode()))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("webhook creation: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body()).getString("id");
    }

    /**
     * Transfers random chats to random agents for warm-up + duration; counts the statuses of what completes in the
     * measured window, records its latency and, given {@code answeredAt}, when each (chat, seq) was answered 200.
     */
    private Outcome closedLoop(HttpClient http, int clients, int warmupSeconds, int durationSeconds, Recorder latency,
            Map<String, Long> answeredAt) throws Exception {
        long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(durationSeconds);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger conflict = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(clients);
        for (int n = 0; n < clients; n++) {
            env.vertx.runOnContext(v -> new Object() {
                void next() {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        done.countDown();
                        return;
                    }
                    transfer(http).onComplete(ar -> {
                        long t1 = System.nanoTime();
                        completed.incrementAndGet();
                        if (t0 >= measureFrom && t1 <= end) {
                            if (ar.succeeded() && ar.result() != null) {
                                ok.incrementAndGet();
                                if (latency != null) {
                                    latency.add((t1 - t0) / 1000);
                                }
                                if (answeredAt != null) {
                                    answeredAt.put(ar.result(), t1);
                                }
                            } else if (ar.succeeded()) {
                                conflict.incrementAndGet();
                            } else if (other.incrementAndGet() <= 3) {
                                System.err.println(ar.cause().getMessage());
                            }
                        }
                        next();
                    });
                }
            }.next());
        }
        if (!done.await(warmupSeconds + durationSeconds + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("closed loop did not finish");
        }
        return new Outcome(ok.get(), conflict.get(), other.get(), completed.get());
    }

    /** One transfer; its "chatId:seq" when it succeeded, null on 409 (the target already holds it), else a failure. */
    private Future<String> transfer(HttpClient http) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        UUID chat = seed.chats().get(random.nextInt(seed.chats().size()));
        UUID to = seed.agents().get(random.nextInt(seed.agents().size()));
        return http.request(HttpMethod.POST, "/api/v1/chats/" + chat + "/transfer").compose(req -> req
                .putHeader("Authorization", "Bearer " + ownerToken).putHeader("Content-Type", "application/json")
                .send(Buffer.buffer("{\"toAgentId\":\"" + to + "\",\"force\":true}"))
                .compose(resp -> resp.body().map(body -> switch (resp.statusCode()) {
                    case 200 -> chat + ":" + body.toJsonObject().getLong("lastSeq");
                    case 409 -> null;
                    default -> throw new IllegalStateException("transfer answered " + resp.statusCode() + ": " + body);
                })));
    }
}
