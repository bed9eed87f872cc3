package dev.baton.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * Workloads 2–4: thousands of agents on {@code /ws/v1/inbox}, customer messages posted open-loop
 * at fixed rates to {@code POST /api/v1/inbound/messages} on chats they hold; latency is from the
 * post's scheduled send time to the frame's arrival (so a stalled sender counts against Baton).
 */
final class DeliveryBench {

    private static final long GRACE_MS = 3000;
    /** Open loop, but bounded: beyond this many unanswered posts the generator skips (and counts) sends instead of queueing. */
    private static final int MAX_IN_FLIGHT = 1000;

    private final Env env;
    private final Path target;
    private final Config c;
    private Env.Seed seed;
    private String channelToken;
    private String ownerToken;
    private final AtomicInteger messageIds = new AtomicInteger();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final List<WebSocket> sockets = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> takeoverAnswered = new ConcurrentHashMap<>();
    private final Map<String, Long> revokedAt = new ConcurrentHashMap<>();
    private final List<Integer> takenOver = Collections.synchronizedList(new ArrayList<>());
    private final Set<Integer> takenOverSet = ConcurrentHashMap.newKeySet();
    private final Set<String> revocationMeasured = ConcurrentHashMap.newKeySet();
    private final AtomicInteger afterRevocation = new AtomicInteger();
    private final AtomicInteger revokedBefore200 = new AtomicInteger();
    private Recorder revocation = new Recorder();
    /** The WhatsApp channel of the whatsapp workload, null in the others. */
    private WhatsAppChannel whatsApp;
    /** The SQL the measured phases cost per posted message (statements=on), or "". */
    private String statements = "";

    /** One measured phase. */
    static final class Phase {
        final Recorder delivery = new Recorder();
        final Recorder http = new Recorder();
        final AtomicInteger posted = new AtomicInteger();
        final AtomicInteger toTakenOver = new AtomicInteger();
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final boolean recorded;
        /** Posted as Meta's signed webhook to the WhatsApp channel, else to the generic inbound endpoint. */
        boolean whatsapp;
        double seconds;
        /** CPU used during the phase by the server's process and by PostgreSQL, in ms. */
        long serverCpuMs;
        long postgresCpuMs;

        /** Server / PostgreSQL CPU ms per posted message: load-independent, unlike latencies on a shared machine. */
        String cpuPerMessage() {
            double n = Math.max(1, posted.get());
            return String.format("%.2f / %.2f", serverCpuMs / n, postgresCpuMs / n);
        }

        Phase(boolean recorded) {
            this.recorded = recorded;
        }

        int lost() {
            return posted.get() - errors.get() - delivered.get();
        }
    }

    record Pending(long intendedNanos, Phase phase) {
    }

    DeliveryBench(Env env, Path target) {
        this.env = env;
        this.target = target;
        this.c = env.config;
    }

    /** Workload 2: Baton, then the bare Vert.x server, same agents, same frames, same rates. */
    String runDelivery() throws Exception {
        Env.Service a = env.startService(target, 18081);
        setUp(a);
        Server baton = measureServer(a, "127.0.0.2", true);
        Server bare = measureServer(startCeiling(18090), "127.0.0.3", false);
        Bench.Table table = new Bench.Table("rate /s", "achieved /s", "Baton p50 ms", "Baton p99 ms", "Baton max ms", "POST p99 ms",
                "ceiling p50 ms", "ceiling p99 ms", "ratio p99 (Baton/ceiling)", "lost", "errors", "skipped (>1000 in flight)",
                "CPU ms/msg Baton (service / PG)", "CPU ms/msg ceiling (server / PG)");
        for (int i = 0; i < c.rates().size(); i++) {
            Phase b = baton.phases().get(i);
            Phase x = bare.phases().get(i);
            table.row(c.rates().get(i), b.posted.get() / b.seconds, b.delivery.percentileMs(50), b.delivery.percentileMs(99),
                    b.delivery.percentileMs(100), b.http.percentileMs(99), x.delivery.percentileMs(50), x.delivery.percentileMs(99),
                    String.format("%.1f×", b.delivery.percentileMs(99) / x.delivery.percentileMs(99)), b.lost() + " / ceiling " + x.lost(),
                    b.errors.get() + " / ceiling " + x.errors.get(), b.skipped.get() + " / ceiling " + x.skipped.get(),
                    b.cpuPerMessage(), x.cpuPerMessage());
        }
        Bench.Table memory = new Bench.Table("server", "RSS at 0 sockets", "RSS at " + c.inboxAgents() + " idle sockets", "KB per socket",
                "connect all (s)");
        for (Server s : List.of(baton, bare)) {
            memory.row(s == baton ? "Baton" : "bare Vert.x (ceiling)", s.rss0Kb() / 1024 + " MB", s.rssNKb() / 1024 + " MB",
                    String.format("%.1f", (s.rssNKb() - s.rss0Kb()) / (double) c.inboxAgents()), s.connectMs() / 1000.0);
        }
        return c.inboxAgents() + " agents on /ws/v1/inbox, one chat each; open-loop posts to random chats, " + c.durationSeconds()
                + " s per rate after a " + c.jitWarmupSeconds() + " s warm-up at half the first rate; latency = scheduled post time → message.created frame at "
                + "the holder. RSS after a full GC (jcmd GC.run), default JVM flags.\n\n" + table + "\n" + memory + statements;
    }

    /** What one server (Baton or the ceiling) did in workload 2. */
    record Server(long rss0Kb, long rssNKb, long connectMs, List<Phase> phases) {
    }

    /** RSS with no socket, all agents connected, RSS with all idle, warm-up, then each rate; disconnects at the end. */
    private Server measureServer(Env.Service server, String localAddress, boolean baton) throws Exception {
        long rss0 = server.rssAfterGcKb();
        if (baton) {
            env.resetStatements();
        }
        long connectMs = connect(server.port(), localAddress, baton);
        if (baton) {
            statements = env.statementsPer("socket", c.inboxAgents());
        }
        Thread.sleep(5000);
        long rssN = server.rssAfterGcKb();
        HttpClient posts = postClient(server.port());
        openLoop(posts, c.rates().get(0) / 2, c.jitWarmupSeconds(), false);
        List<Phase> phases = new ArrayList<>();
        if (baton) {
            env.resetStatements();
        }
        for (int rate : c.rates()) {
            long serverCpu0 = server.cpuMs();
            long postgresCpu0 = env.postgresCpuMs();
            Phase phase = openLoop(posts, rate, c.durationSeconds(), true);
            phase.serverCpuMs = server.cpuMs() - serverCpu0;
            phase.postgresCpuMs = env.postgresCpuMs() - postgresCpu0;
            phases.add(phase);
        }
        if (baton) {
            statements += env.statementsPer("message", phases.stream().mapToLong(p -> p.posted.get()).sum());
        }
        disconnect();
        return new Server(rss0, rssN, connectMs, phases);
    }

    /**
     * Workload "whatsapp" (issue 12): the same agents and sockets; at each rate, the generic inbound
     * endpoint and then Meta's signed webhook (stored, then processed off the request) → the
     * message.created frame at the holder; then replies by the holders of chats whose 24-hour window
     * is open, sent by the channel to a stub Graph API, at the pacer's rate and above it.
     */
    String runWhatsApp() throws Exception {
        WhatsAppChannel.GraphStub graph = WhatsAppChannel.GraphStub.start(env.vertx);
        Env.Service a = env.startService(target, 18085, Map.of("BATON_WHATSAPP_GRAPH_URL", graph.url(),
                "BATON_WHATSAPP_MESSAGES_PER_SECOND", Integer.toString(c.waPacer())));
        setUp(a);
        whatsApp = WhatsAppChannel.create(a.port(), ownerToken);
        connect(a.port(), "127.0.0.2", true);
        HttpClient posts = postClient(a.port());
        openLoop(posts, c.rates().get(0) / 2, c.jitWarmupSeconds(), false, false);
        openLoop(posts, c.rates().get(0) / 2, c.jitWarmupSeconds(), false, true);
        Bench.Table inbound = new Bench.Table("rate /s", "path", "achieved /s", "p50 ms", "p99 ms", "max ms", "POST p99 ms", "lost", "errors",
                "skipped (>1000 in flight)", "CPU ms/msg (service / PG)", "statements/msg", "ratio p99 (WhatsApp/generic)");
        StringBuilder sql = new StringBuilder();
        for (int rate : c.rates()) {
            Phase generic = null;
            for (boolean wa : List.of(false, true)) {
                env.resetStatements();
                long cpu0 = a.cpuMs();
                long pg0 = env.postgresCpuMs();
                Phase p = openLoop(posts, rate, c.durationSeconds(), true, wa);
                p.serverCpuMs = a.cpuMs() - cpu0;
                p.postgresCpuMs = env.postgresCpuMs() - pg0;
                String path = wa ? "WhatsApp webhook (signed)" : "generic POST /inbound/messages";
                Env.Statements statements = env.statements("message", p.posted.get());
                if (c.statements()) {
                    sql.append("\n#### ").append(rate).append("/s, ").append(path).append("\n").append(statements.table());
                }
                inbound.row(rate, path, p.posted.get() / p.seconds, p.delivery.percentileMs(50), p.delivery.percentileMs(99),
                        p.delivery.percentileMs(100), p.http.percentileMs(99), p.lost(), p.errors.get(), p.skipped.get(), p.cpuPerMessage(),
                        statements.total(), wa ? String.format("%.2f×", p.delivery.percentileMs(99) / generic.delivery.percentileMs(99)) : "1.00×");
                generic = wa ? generic : p;
            }
        }
        String outbound = outbound(a, graph);
        disconnect();
        Env.await(graph.server.close());
        return c.inboxAgents() + " agents on /ws/v1/inbox, one chat each, one WHATSAPP_CLOUD channel (created through the API); open-loop "
                + "posts to random chats, " + c.durationSeconds() + " s per rate and path after " + c.jitWarmupSeconds() + " s of warm-up "
                + "on each path at half the first rate; latency = scheduled post time → message.created frame at the holder. The WhatsApp "
                + "path is Meta's notification (one text message per POST, X-Hub-Signature-256 with the app secret), answered 200 once "
                + "stored and processed afterwards; lost = not at the holder 3 s after the phase (WhatsApp: 60 s, as processing may lag).\n\n" + inbound + "\n" + outbound + sql;
    }

    /** Holders reply on chats with an open window at each offered rate; the stub Graph API notes each send's arrival. */
    private String outbound(Env.Service service, WhatsAppChannel.GraphStub graph) throws Exception {
        List<UUID> chats = new ArrayList<>();
        Map<UUID, String> tokenOf = new java.util.HashMap<>();
        for (io.vertx.sqlclient.Row row : Env.await(env.pg.preparedQuery("select id, holder_id from chat where workspace_id = $1 "
                + "and channel_id is not null and window_expires_at > now() and holder_id is not null").execute(io.vertx.sqlclient.Tuple.of(seed.workspaceId())))) {
            chats.add(row.getUUID(0));
            tokenOf.put(row.getUUID(0), env.token(row.getUUID(1), seed.workspaceId()));
        }
        if (chats.isEmpty()) {
            throw new IllegalStateException("no chat has an open WhatsApp window: the inbound phases delivered nothing");
        }
        HttpClient replies = postClient(service.port());
        Bench.Table table = new Bench.Table("offered replies /s", "pacer limit /s", "replies accepted (201)", "reached the stub",
                "sends/s at the stub", "ratio to the pacer", "reply POST p99 ms", "POST → Graph API p50 ms", "p99 ms", "max ms", "errors");
        int phaseNo = 0;
        for (int rate : c.sendRates()) {
            String prefix = "reply " + (++phaseNo) + "-";
            Map<String, Long> scheduled = new ConcurrentHashMap<>();
            Recorder post = new Recorder();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            long t0 = System.nanoTime();
            schedule(rate, c.durationSeconds(), n -> {
                long intended = t0 + (long) (n * 1e9 / rate);
                UUID chat = chats.get(n % chats.size());
                String text = prefix + n;
                reply(replies, chat, tokenOf.get(chat), text).onComplete(ar -> {
                            post.add((System.nanoTime() - intended) / 1000);
                            if (ar.succeeded() && ar.result() == 201) {
                                scheduled.put(text, intended);
                                accepted.incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                            }
                        });
            });
            // A paced backlog drains at the limit: offered × duration ÷ limit seconds, plus slack.
            long drain = System.nanoTime() + TimeUnit.SECONDS.toNanos(30 + (long) c.durationSeconds() * rate / c.waPacer());
            while (System.nanoTime() < drain && !graph.arrivedAt.keySet().containsAll(scheduled.keySet())) {
                Thread.sleep(100);
            }
            Arrivals arrivals = Arrivals.of(scheduled, graph.arrivedAt);
            System.out.printf("replies at %d/s: accepted %d, at the stub %d, %.1f sends/s, p99 %.0f ms%n", rate, accepted.get(),
                    arrivals.count(), arrivals.perSecond(), arrivals.latency().percentileMs(99));
            table.row(rate, c.waPacer(), accepted.get(), arrivals.count(), arrivals.perSecond(),
                    String.format("%.2f×", arrivals.perSecond() / c.waPacer()), post.percentileMs(99), arrivals.latency().percentileMs(50),
                    arrivals.latency().percentileMs(99), arrivals.latency().percentileMs(100), errors.get());
        }
        table.row(backlogDrain(replies, graph, chats, tokenOf));
        Env.await(replies.close());
        return "Outbound: holders reply (POST /chats/{id}/messages, free text) on the " + chats.size() + " chats whose window the inbound "
                + "phases opened, open loop for " + c.durationSeconds() + " s per rate; the channel sends each to a stub Graph API "
                + "(loopback, answers 200 with a wamid at once) under BATON_WHATSAPP_MESSAGES_PER_SECOND=" + c.waPacer() + ". Sends/s = "
                + "sends reaching the stub between its first and last arrival; latency = the reply's scheduled time → its arrival at the stub. "
                + "Last row: the pacer alone — replies queued while the channel is paused (PATCH active=false), then the channel resumed; "
                + "latency from the resume.\n\n"
                + table;
    }

    /**
     * The pacer alone, without the reply intake in the way: {@code waPacer × duration} replies queued while the channel is
     * paused, then the channel resumed; the stub's arrival rate is the sender's. One table row.
     */
    private Object[] backlogDrain(HttpClient replies, WhatsAppChannel.GraphStub graph, List<UUID> chats, Map<UUID, String> tokenOf)
            throws Exception {
        int n = c.waPacer() * c.durationSeconds();
        channelActive(false);
        Recorder post = new Recorder();
        AtomicInteger errors = new AtomicInteger();
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(32);
        List<String> queued = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            UUID chat = chats.get(i % chats.size());
            String text = "backlog " + i;
            long sent = System.nanoTime();
            reply(replies, chat, tokenOf.get(chat), text).onComplete(ar -> {
                        post.add((System.nanoTime() - sent) / 1000);
                        if (ar.succeeded() && ar.result() == 201) {
                            queued.add(text);
                        } else {
                            errors.incrementAndGet();
                        }
                        inFlight.release();
                    });
        }
        inFlight.acquire(32);
        long resumed = System.nanoTime();
        channelActive(true);
        long drain = System.nanoTime() + TimeUnit.SECONDS.toNanos(30 + (long) n / c.waPacer());
        while (System.nanoTime() < drain && !graph.arrivedAt.keySet().containsAll(queued)) {
            Thread.sleep(100);
        }
        Map<String, Long> fromResume = new java.util.HashMap<>();
        queued.forEach(text -> fromResume.put(text, resumed));
        Arrivals arrivals = Arrivals.of(fromResume, graph.arrivedAt);
        System.out.printf("backlog of %d: %d at the stub, %.1f sends/s%n", queued.size(), arrivals.count(), arrivals.perSecond());
        return new Object[] { "backlog of " + queued.size() + " (channel paused, then resumed)", c.waPacer(), queued.size(), arrivals.count(),
                arrivals.perSecond(), String.format("%.2f×", arrivals.perSecond() / c.waPacer()), post.percentileMs(99),
                arrivals.latency().percentileMs(50), arrivals.latency().percentileMs(99), arrivals.latency().percentileMs(100), errors.get() };
    }

    /** The holder's free-text reply on the chat; its HTTP status. */
    private static Future<Integer> reply(HttpClient http, UUID chat, String holderToken, String text) {
        return http.request(HttpMethod.POST, "/api/v1/chats/" + chat + "/messages").compose(req -> req
                .putHeader("Authorization", "Bearer " + holderToken).putHeader("Content-Type", "application/json")
                .send(Buffer.buffer(new JsonObject().put("text", text).encode())).compose(resp -> resp.body().map(b -> resp.statusCode())));
    }

    /** Of the replies started at the given times (by text), how many reached the stub, their rate there, and start → arrival latency. */
    private record Arrivals(int count, double perSecond, Recorder latency) {
        static Arrivals of(Map<String, Long> startedAt, Map<String, Long> arrivedAt) {
            Recorder latency = new Recorder();
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            int count = 0;
            for (Map.Entry<String, Long> started : startedAt.entrySet()) {
                Long at = arrivedAt.get(started.getKey());
                if (at != null) {
                    count++;
                    latency.add((at - started.getValue()) / 1000);
                    first = Math.min(first, at);
                    last = Math.max(last, at);
                }
            }
            return new Arrivals(count, count < 2 ? Double.NaN : (count - 1) / ((last - first) / 1e9), latency);
        }
    }

    /** Pauses or resumes the channel; a 503 (the service still busy with the previous phase) is retried for up to a minute. */
    private void channelActive(boolean active) throws Exception {
        HttpRequest patch = HttpRequest.newBuilder(URI.create("http://" + Env.HOST + ":" + env.services.get(0).port() + "/api/v1/channels/"
                + whatsApp.channelId)).header("Authorization", "Bearer " + ownerToken).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"active\":" + active + "}")).build();
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(patch, HttpResponse.BodyHandlers.ofString());
        for (int attempt = 0; r.statusCode() == 503 && attempt < 60; attempt++) {
            Thread.sleep(1000);
            r = java.net.http.HttpClient.newHttpClient().send(patch, HttpResponse.BodyHandlers.ofString());
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("channel active=" + active + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** Workload 3: takeovers at a fixed rate under the inbound load; revoked chats keep receiving messages. */
    String runRevocation() throws Exception {
        Env.Service a = env.startService(target, 18082);
        setUp(a);
        connect(a.port(), "127.0.0.2", true);
        HttpClient posts = postClient(a.port());
        HttpClient takeovers = postClient(a.port());
        openLoop(posts, c.rates().get(0) / 2, c.jitWarmupSeconds(), false);
        List<Integer> order = new ArrayList<>(IntStream.range(0, seed.chats().size()).boxed().toList());
        Collections.shuffle(order);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger takeoverErrors = new AtomicInteger();
        revocation = new Recorder();
        Recorder takeoverHttp = new Recorder();
        int rate = c.rates().get(0);
        CountDownLatch both = new CountDownLatch(1);
        new Thread(() -> {
            try {
                schedule(c.takeoverRate(), c.durationSeconds(), n -> {
                    String chat = seed.chats().get(order.get(n)).toString();
                    long sent = System.nanoTime();
                    takeovers.request(HttpMethod.POST, "/api/v1/chats/" + chat + "/takeover").compose(req -> req
                            .putHeader("Authorization", "Bearer " + ownerToken).putHeader("Content-Type", "application/json")
                            .send(Buffer.buffer("{}")).compose(resp -> resp.body().map(b -> resp.statusCode())))
                            .onComplete(ar -> {
                                long now = System.nanoTime();
                                if (ar.succeeded() && ar.result() == 200) {
                                    takeoverHttp.add((now - sent) / 1000);
                                    answered.incrementAndGet();
                                    takenOverSet.add(order.get(n));
                                    takenOver.add(order.get(n));
                                    takeoverAnswered.put(chat, now);
                                    if (revokedAt.containsKey(chat) && revocationMeasured.add(chat)) {
                                        revokedBefore200.incrementAndGet();
                                        revocation.add(0);
                                    }
                                } else {
                                    takeoverErrors.incrementAndGet();
                                }
                            });
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                both.countDown();
            }
        }).start();
        Phase load = openLoop(posts, rate, c.durationSeconds(), true);
        both.await();
        Thread.sleep(GRACE_MS);
        int revokedFrames = revokedAt.size();
        disconnect();
        Bench.Table table = new Bench.Table("takeovers /s", "answered 200", "chat.revoked received", "revoked p50 ms", "revoked p99 ms",
                "revoked max ms", "revoked before the 200", "frames after chat.revoked", "takeover POST p99 ms",
                "message.created p99 ms (same phase)", "ratio p99 (revoked/message)");
        table.row(c.takeoverRate(), answered.get() + (takeoverErrors.get() > 0 ? " (errors " + takeoverErrors.get() + ")" : ""),
                revokedFrames, revocation.percentileMs(50), revocation.percentileMs(99), revocation.percentileMs(100),
                revokedBefore200.get(), afterRevocation.get(), takeoverHttp.percentileMs(99), load.delivery.percentileMs(99),
                String.format("%.2f×", revocation.percentileMs(99) / load.delivery.percentileMs(99)));
        return c.inboxAgents() + " agents on /ws/v1/inbox; " + rate + " inbound posts/s (half of them, once available, to chats already "
                + "taken over) and " + c.takeoverRate() + " takeovers/s by the owner of distinct chats for " + c.durationSeconds()
                + " s. Revocation latency = takeover's 200 received → old holder's chat.revoked received (0 when the frame came first). "
                + "Reference: message.created delivery p99 in the same phase (" + load.delivered.get() + " frames, " + load.lost()
                + " lost, " + load.errors.get() + " failed posts, " + load.skipped.get() + " skipped at 1000 in flight; "
                + load.toTakenOver.get() + " posts to taken-over chats).\n\n" + table;
    }

    /** Workload 4: agents on instance A; posts through A (reference), then through B (cross-replica). */
    String runCrossReplica() throws Exception {
        Env.Service a = env.startService(target, 18083);
        Env.Service b = env.startService(target, 18084);
        setUp(a);
        connect(a.port(), "127.0.0.2", true);
        HttpClient viaA = postClient(a.port());
        HttpClient viaB = postClient(b.port());
        int rate = c.rates().get(0);
        openLoop(viaA, rate / 2, c.jitWarmupSeconds(), false);
        openLoop(viaB, rate / 2, c.jitWarmupSeconds(), false);
        Phase same = openLoop(viaA, rate, c.durationSeconds(), true);
        Phase cross = openLoop(viaB, rate, c.durationSeconds(), true);
        disconnect();
        Bench.Table table = new Bench.Table("path", "rate /s", "achieved /s", "p50 ms", "p99 ms", "max ms", "POST p99 ms", "lost", "errors",
                "skipped (>1000 in flight)", "ratio p99 vs same instance");
        for (Object[] r : new Object[][] { { "post on A, socket on A (ceiling)", same }, { "post on B, socket on A", cross } }) {
            Phase p = (Phase) r[1];
            table.row(r[0], rate, p.posted.get() / p.seconds, p.delivery.percentileMs(50), p.delivery.percentileMs(99),
                    p.delivery.percentileMs(100), p.http.percentileMs(99), p.lost(), p.errors.get(), p.skipped.get(),
                    String.format("%.2f×", p.delivery.percentileMs(99) / same.delivery.percentileMs(99)));
        }
        return "Two instances on one PostgreSQL; " + c.inboxAgents() + " agents connected to A; " + c.durationSeconds()
                + " s per path. Cross-replica wake-up = coalesced NOTIFY baton_events (1 s poll as safety net).\n\n" + table;
    }

    private void setUp(Env.Service service) throws Exception {
        seed = env.seed(service, "inbox", c.inboxAgents(), 0, c.inboxAgents());
        ownerToken = env.token(seed.ownerId(), seed.workspaceId());
        HttpResponse<String> issued = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + Env.HOST + ":" + service.port() + "/api/v1/channel-tokens"))
                .header("Authorization", "Bearer " + ownerToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (issued.statusCode() != 201) {
            throw new IllegalStateException("channel token: " + issued.statusCode() + " " + issued.body());
        }
        channelToken = new JsonObject(issued.body()).getString("token");
    }

    /** Opens one inbox socket per agent, {@code connectConcurrency} at a time; returns the time it took. */
    private long connect(int port, String localAddress, boolean baton) throws Exception {
        long t0 = System.nanoTime();
        String[] tokens = new String[seed.agents().size()];
        if (baton) {
            IntStream.range(0, tokens.length).parallel().forEach(i -> tokens[i] = env.token(seed.agents().get(i), seed.workspaceId()));
        }
        WebSocketClient client = env.vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                .setLocalAddress(localAddress).setConnectTimeout(30_000).setMaxFrameSize(65536));
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(tokens.length);
        Runnable[] open = new Runnable[1];
        open[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= tokens.length) {
                return;
            }
            WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(Env.HOST).setPort(port).setURI("/ws/v1/inbox");
            if (baton) {
                options.addHeader("Authorization", "Bearer " + tokens[i]);
            } else {
                options.addHeader("X-Agent", seed.agents().get(i).toString());
            }
            Set<String> revoked = ConcurrentHashMap.newKeySet();
            InboxSocket.open(env.vertx, client, options, frame -> onFrame(frame, revoked), retried).onComplete(ar -> {
                if (ar.succeeded()) {
                    sockets.add(ar.result());
                } else if (failures.incrementAndGet() <= 5) {
                    System.err.println("connect failed: " + ar.cause());
                }
                all.countDown();
                open[0].run();
            });
        };
        for (int n = 0; n < c.connectConcurrency(); n++) {
            env.vertx.runOnContext(v -> open[0].run());
        }
        if (!all.await(600, TimeUnit.SECONDS)) {
            throw new IllegalStateException("sockets did not open in 600 s");
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " sockets failed to open");
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%d sockets open on :%d in %.1f s (%d refused with 503 or closed before their snapshot, and retried)%n", sockets.size(), port, ms / 1000.0,
                retried.get());
        return ms;
    }

    private void onFrame(JsonObject frame, Set<String> revoked) {
        long now = System.nanoTime();
        String type = frame.getString("type");
        String chat = frame.getString("chatId");
        if (revoked.contains(chat)) {
            afterRevocation.incrementAndGet();
        }
        if ("chat.revoked".equals(type)) {
            revoked.add(chat);
            revokedAt.put(chat, now);
            Long answered = takeoverAnswered.get(chat);
            if (answered != null && revocationMeasured.add(chat)) {
                revocation.add((now - answered) / 1000);
            }
            return;
        }
        if ("message.created".equals(type)) {
            String body = frame.getJsonObject("data").getString("text");
            if (body != null && body.startsWith("bench ")) {
                Pending p = pending.remove(Integer.parseInt(body.substring(6)));
                if (p != null && p.phase().recorded) {
                    p.phase().delivered.incrementAndGet();
                    p.phase().delivery.add((now - p.intendedNanos()) / 1000);
                }
            }
        }
    }

    private HttpClient postClient(int port) {
        return env.vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(128).setKeepAlive(true).setDefaultHost(Env.HOST)
                .setDefaultPort(port).setLocalAddress("127.0.0.4"));
    }

    private Phase openLoop(HttpClient http, int rate, int seconds, boolean recorded) throws Exception {
        return openLoop(http, rate, seconds, recorded, false);
    }

    private Phase openLoop(HttpClient http, int rate, int seconds, boolean recorded, boolean whatsapp) throws Exception {
        Phase phase = new Phase(recorded);
        phase.seconds = seconds;
        phase.whatsapp = whatsapp;
        long t0 = System.nanoTime();
        schedule(rate, seconds, n -> post(http, phase, t0 + (long) (n * 1e9 / rate)));
        long drain = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (phase.inFlight.get() > 0 && System.nanoTime() < drain) {
            Thread.sleep(50);
        }
        Thread.sleep(GRACE_MS);
        // Meta's notifications are stored at once and processed afterwards: what is still queued then is late, not lost.
        long late = System.nanoTime() + TimeUnit.SECONDS.toNanos(whatsapp ? 60 : 0);
        while (System.nanoTime() < late && pending.values().stream().anyMatch(p -> p.phase() == phase)) {
            Thread.sleep(100);
        }
        pending.values().removeIf(p -> p.phase() == phase);
        System.out.printf("%s%s %d/s: posted %d, skipped %d, delivered %d, p99 %.2f ms, errors %d%n", recorded ? "measured" : "warm-up",
                whatsapp ? " (WhatsApp webhook)" : "", rate, phase.posted.get(), phase.skipped.get(), phase.delivered.get(), phase.delivery.percentileMs(99), phase.errors.get());
        return phase;
    }

    /** Calls {@code action} rate×seconds times, on schedule: a 1 ms tick sends whatever is due. */
    private void schedule(int rate, int seconds, IntConsumer action) throws InterruptedException {
        int total = rate * seconds;
        long start = System.nanoTime();
        CountDownLatch done = new CountDownLatch(1);
        int[] sent = new int[1];
        env.vertx.runOnContext(v -> env.vertx.setPeriodic(1, id -> {
            long due = Math.min(total, (long) ((System.nanoTime() - start) / 1e9 * rate) + 1);
            while (sent[0] < due) {
                action.accept(sent[0]++);
            }
            if (sent[0] >= total) {
                env.vertx.cancelTimer(id);
                done.countDown();
            }
        }));
        done.await(seconds + 60L, TimeUnit.SECONDS);
    }

    private void post(HttpClient http, Phase phase, long intended) {
        if (phase.inFlight.get() >= MAX_IN_FLIGHT) {
            phase.skipped.incrementAndGet();
            return;
        }
        phase.inFlight.incrementAndGet();
        int id = messageIds.incrementAndGet();
        int chat;
        int taken = takenOver.size();
        chat = taken > 0 && ThreadLocalRandom.current().nextBoolean() ? takenOver.get(ThreadLocalRandom.current().nextInt(taken))
                : ThreadLocalRandom.current().nextInt(seed.chats().size());
        boolean toOwner = takenOverSet.contains(chat);
        if (toOwner) {
            // The owner now holds it: no frame expected here, but any reaching the old holder is a violation.
            phase.toTakenOver.incrementAndGet();
        } else {
            phase.posted.incrementAndGet();
            pending.put(id, new Pending(intended, phase));
        }
        Future<Integer> sent = phase.whatsapp ? whatsApp.post(http, seed.phones().get(chat), "bench " + id)
                : http.request(HttpMethod.POST, "/api/v1/inbound/messages").compose(req -> req
                        .putHeader("Authorization", "Bearer " + channelToken).putHeader("Content-Type", "application/json")
                        .send(Buffer.buffer("{\"externalId\":\"b-" + id + "-" + UUID.randomUUID() + "\",\"customer\":{\"phone\":\""
                                + seed.phones().get(chat) + "\"},\"text\":\"bench " + id + "\"}"))
                        .compose(resp -> resp.body().map(b -> resp.statusCode())));
        int expected = phase.whatsapp ? 200 : 201;
        sent
                .onComplete(ar -> {
                    phase.inFlight.decrementAndGet();
                    phase.http.add((System.nanoTime() - intended) / 1000);
                    if (ar.failed() || ar.result() != expected) {
                        phase.errors.incrementAndGet();
                        if (pending.remove(id) == null && toOwner) {
                            phase.toTakenOver.decrementAndGet();
                        }
                        if (phase.errors.get() <= 3) {
                            System.err.println("post failed: " + (ar.failed() ? ar.cause() : ar.result()));
                        }
                    }
                });
    }

    private void disconnect() throws Exception {
        List<WebSocket> open;
        synchronized (sockets) {
            open = new ArrayList<>(sockets);
            sockets.clear();
        }
        for (WebSocket ws : open) {
            ws.close();
        }
        Thread.sleep(2000);
    }

    /** The bare server in its own JVM, routing phone → chat → agent like the seed. */
    private Env.Service startCeiling(int port) throws Exception {
        Path routes = env.work.resolve("routes.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < seed.chats().size(); i++) {
            lines.add(seed.phones().get(i) + " " + seed.chats().get(i) + " " + seed.holders().get(i) + " " + seed.workspaceId());
        }
        Files.write(routes, lines);
        Path log = env.work.resolve("ceiling.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), CeilingServer.class.getName(), Integer.toString(port), routes.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Env.Service service = new Env.Service(process, port, log);
        env.services.add(service);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + Env.HOST + ":" + port + "/health"))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return service;
                }
            } catch (java.io.IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("ceiling server did not start; see " + log);
    }
}
