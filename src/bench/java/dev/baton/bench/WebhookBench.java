package dev.baton.bench;

import java.nio.file.Path;
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
import io.vertx.sqlclient.Tuple;

/**
 * Workload "webhooks": the transfer closed loop with webhooks off, then with two endpoints
 * subscribed to chat.custody_changed — one healthy local receiver and one that never answers (every
 * attempt runs into the 15 s timeout) — giving transfers/s beside custody change → webhook received
 * latency; then a backlog of deliveries to the healthy receiver, drained as fast as the sender goes
 * (deliveries/s).
 */
final class WebhookBench {

    private final Env env;
    private final Path target;
    private Env.Seed seed;
    private String ownerToken;

    WebhookBench(Env env, Path target) {
        this.env = env;
        this.target = target;
    }

    String run() throws Exception {
        Config c = env.config;
        Env.Service service = env.startService(target, 18090, Map.of("BATON_WEBHOOKS_ALLOW_PRIVATE_NETWORKS", "true"));
        seed = env.seed(service, "webhooks", c.agents(), c.managers(), c.chats());
        ownerToken = env.token(seed.ownerId(), seed.workspaceId());
        int clients = c.clients().get(c.clients().size() - 1);
        HttpClient http = env.vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(clients).setKeepAlive(true)
                .setDefaultHost(Env.HOST).setDefaultPort(service.port()));

        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        AtomicInteger received = new AtomicInteger();
        HttpServer healthy = Env.await(env.vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            JsonObject json = body.toJsonObject();
            receivedAt.putIfAbsent(json.getString("chatId") + ":" + json.getLong("seq"), System.nanoTime());
            received.incrementAndGet();
            req.response().setStatusCode(204).end();
        })).listen(0, Env.HOST));
        HttpServer hanging = Env.await(env.vertx.createHttpServer().requestHandler(req -> {
            // never answers: every attempt waits for Baton's timeout
        }).listen(0, Env.HOST));

        closedLoop(http, clients, c.jitWarmupSeconds(), 0, null); // JIT warm-up, unmeasured
        Recorder off = new Recorder();
        int offOk = closedLoop(http, clients, c.warmupSeconds(), c.durationSeconds(), off);

        String healthyId = webhook("http://" + Env.HOST + ":" + healthy.actualPort() + "/hook");
        webhook("http://" + Env.HOST + ":" + hanging.actualPort() + "/hook");
        Recorder on = new Recorder();
        int onOk = closedLoopRecording(http, clients, c.warmupSeconds(), c.durationSeconds(), on, sentAt);
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < waitUntil && !receivedAt.keySet().containsAll(sentAt.keySet())) {
            Thread.sleep(100);
        }
        Recorder endToEnd = new Recorder();
        int missing = 0;
        for (Map.Entry<String, Long> sent : sentAt.entrySet()) {
            Long got = receivedAt.get(sent.getKey());
            if (got == null) {
                missing++;
            } else {
                endToEnd.add((got - sent.getValue()) / 1000);
            }
        }

        int backlog = c.smoke() ? 2_000 : 20_000;
        Env.rows(env.pg.preparedQuery("update webhook_endpoint set active = false where id <> $1 and workspace_id = $2")
                .execute(Tuple.of(UUID.fromString(healthyId), seed.workspaceId())));
        int before = received.get();
        long t0 = System.nanoTime();
        Env.rows(env.pg.preparedQuery("insert into webhook_delivery (id, endpoint_id, workspace_id, message_id, event_type, body, status, "
                + "attempts, due_at, created_at) select gen_random_uuid(), $1, $2, 'msg_bench_' || g, 'note.created', "
                + "'{\"chatId\":\"bench\",\"seq\":' || g || '}', 'PENDING', 0, now(), now() from generate_series(1, $3) g")
                .execute(Tuple.of(UUID.fromString(healthyId), seed.workspaceId(), backlog)));
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (received.get() - before < backlog && System.nanoTime() < drainDeadline) {
            Thread.sleep(50);
        }
        double drainSeconds = (System.nanoTime() - t0) / 1e9;
        double deliveriesPerSecond = (received.get() - before) / drainSeconds;
        Env.await(http.close());
        Env.await(healthy.close());
        Env.await(hanging.close());

        Bench.Table table = new Bench.Table("phase", "transfers/s", "transfer p50 ms", "transfer p99 ms", "custody change → webhook p50 ms",
                "p99 ms", "not received in 30 s", "deliveries/s (backlog drain)");
        table.row("webhooks off", offOk / (double) c.durationSeconds(), off.percentileMs(50), off.percentileMs(99), "–", "–", "–", "–");
        table.row("1 healthy + 1 hanging receiver", onOk / (double) c.durationSeconds(), on.percentileMs(50), on.percentileMs(99),
                endToEnd.percentileMs(50), endToEnd.percentileMs(99), missing, "–");
        table.row("backlog of " + backlog + " to the healthy receiver", "–", "–", "–", "–", "–", "–", deliveriesPerSecond);
        return c.chats() + " chats, " + c.agents() + " agents, " + clients + " clients transferring (closed loop, owner token), warm-up "
                + c.warmupSeconds() + " s + " + c.durationSeconds() + " s measured per phase; receivers on 127.0.0.1 in the bench JVM; "
                + "the hanging one never answers (15 s timeout, 8 in flight per endpoint).\n\n" + table;
    }

    private String webhook(String url) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://" + Env.HOST + ":18090/api/v1/webhooks"))
                .header("Authorization", "Bearer " + ownerToken).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("url", url)
                        .put("events", new io.vertx.core.json.JsonArray().add("chat.custody_changed")).encode()))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("webhook creation: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body()).getString("id");
    }

    private int closedLoop(HttpClient http, int clients, int warmupSeconds, int durationSeconds, Recorder latency) throws Exception {
        return closedLoopRecording(http, clients, warmupSeconds, durationSeconds, latency, null);
    }

    /** Transfers random chats to random agents; counts successes in the measured window and notes when each (chat, seq) was asked for. */
    private int closedLoopRecording(HttpClient http, int clients, int warmupSeconds, int durationSeconds, Recorder latency,
            Map<String, Long> sentAt) throws Exception {
        long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(durationSeconds);
        AtomicInteger ok = new AtomicInteger();
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
                        if (ar.succeeded() && ar.result() != null && t0 >= measureFrom && t1 <= end) {
                            ok.incrementAndGet();
                            if (latency != null) {
                                latency.add((t1 - t0) / 1000);
                            }
                            if (sentAt != null) {
                                sentAt.put(ar.result(), t0);
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
        return ok.get();
    }

    /** One transfer; its "chatId:seq" when it succeeded, else null. */
    private Future<String> transfer(HttpClient http) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        UUID chat = seed.chats().get(random.nextInt(seed.chats().size()));
        UUID to = seed.agents().get(random.nextInt(seed.agents().size()));
        return http.request(HttpMethod.POST, "/api/v1/chats/" + chat + "/transfer").compose(req -> req
                .putHeader("Authorization", "Bearer " + ownerToken).putHeader("Content-Type", "application/json")
                .send(Buffer.buffer("{\"toAgentId\":\"" + to + "\",\"force\":true}"))
                .compose(resp -> resp.body().map(body -> resp.statusCode() == 200
                        ? chat + ":" + body.toJsonObject().getLong("lastSeq") : null)));
    }
}
