package dev.baton.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Workload 1: random transfers of random chats to random agents, closed loop, at each client
 * count; Baton over HTTP with auth and If-Match versus the ceiling, the bare state change done with
 * a raw Vert.x PG client (same database, schema, pool size and concurrency), interleaved per level.
 */
final class TransferBench {

    private static final Pattern VERSION_IN_DETAIL = Pattern.compile("at version (\\d+)");

    private final Env env;
    private final Path target;
    private Env.Seed seed;
    private AtomicLongArray versions;
    private UUID[] holders;
    private String[] managerTokens;
    private final Map<UUID, Integer> chatIndex = new HashMap<>();

    TransferBench(Env env, Path target) {
        this.env = env;
        this.target = target;
    }

    /** Outcome of one closed-loop level. */
    record Level(int ok, int conflict409, int stale412, int errors, double seconds, Recorder latency, int completed) {
        double tps() {
            return ok / seconds;
        }

        double conflictRate() {
            int all = ok + conflict409 + stale412 + errors;
            return all == 0 ? Double.NaN : 100.0 * (conflict409 + stale412) / all;
        }
    }

    String run() throws Exception {
        Config c = env.config;
        Env.Service service = env.startService(target, 18080);
        seed = env.seed(service, "transfer", c.agents(), c.managers(), c.chats());
        managerTokens = new String[c.managers()];
        for (int i = 0; i < c.managers(); i++) {
            managerTokens[i] = env.token(seed.agents().get(i), seed.workspaceId());
        }
        for (int i = 0; i < seed.chats().size(); i++) {
            chatIndex.put(seed.chats().get(i), i);
        }
        versions = new AtomicLongArray(c.chats());
        holders = new UUID[c.chats()];
        java.util.Optional<PgBench> pgbench = PgBench.find(env);
        Bench.Table table = new Bench.Table("clients", "ceiling tps", "ceiling p50 ms", "ceiling p99 ms", "pgbench tps", "pgbench p50 / p99 ms",
                "Baton tps", "Baton p50 ms", "Baton p99 ms", "ratio (tps) to ceiling / pgbench", "409+412 % (409/412)", "errors",
                "CPU ms/transfer: PG ceiling / PG pgbench / PG Baton / service", "statements/transfer: ceiling / pgbench / Baton");
        StringBuilder statementTables = new StringBuilder();
        // The JIT needs a while on Baton's much larger code path (the ceiling's is a few lines): warm it once, unmeasured.
        reloadState();
        HttpClient warm = env.vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(16).setKeepAlive(true)
                .setDefaultHost(Env.HOST).setDefaultPort(service.port()));
        closedLoop(16, i -> batonTransfer(warm, i), c.jitWarmupSeconds(), 0);
        Env.await(warm.close());
        for (int clients : c.clients()) {
            reloadState();
            long pg0 = env.postgresCpuMs();
            env.resetStatements();
            Level ceiling = closedLoop(clients, this::ceilingTransfer);
            double ceilingPgPerOp = (env.postgresCpuMs() - pg0) / (double) Math.max(1, ceiling.completed());
            Env.Statements ceilingSql = env.statements("transfer", ceiling.completed());
            PgBench.Result bench = null;
            double benchPgPerOp = Double.NaN;
            Env.Statements benchSql = Env.Statements.NONE;
            if (pgbench.isPresent()) {
                long benchPg0 = env.postgresCpuMs();
                env.resetStatements();
                bench = pgbench.get().run(seed.workspaceId(), c.chats(), c.agents(), clients, c.warmupSeconds(), c.durationSeconds());
                benchPgPerOp = (env.postgresCpuMs() - benchPg0) / (double) Math.max(1, bench.all());
                benchSql = env.statements("transfer", bench.all());
            }
            reloadState();
            HttpClient http = env.vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(clients).setKeepAlive(true)
                    .setDefaultHost(Env.HOST).setDefaultPort(service.port()));
            long cpu0 = service.cpuMs();
            long batonPg0 = env.postgresCpuMs();
            env.resetStatements();
            Level baton = closedLoop(clients, i -> batonTransfer(http, i));
            double cpuPerOp = (service.cpuMs() - cpu0) / (double) Math.max(1, baton.completed());
            double batonPgPerOp = (env.postgresCpuMs() - batonPg0) / (double) Math.max(1, baton.completed());
            Env.Statements batonSql = env.statements("transfer", baton.completed());
            Env.await(http.close());
            System.out.printf("clients=%d ceiling %.0f tps p99 %.2f ms | pgbench %s | Baton %.0f tps p99 %.2f ms (409 %d, 412 %d, errors %d)%n",
                    clients, ceiling.tps(), ceiling.latency().percentileMs(99),
                    bench == null ? "not run" : String.format("%.0f tps p99 %.2f ms", bench.tps(), bench.latency().percentileMs(99)),
                    baton.tps(), baton.latency().percentileMs(99), baton.conflict409(), baton.stale412(), baton.errors());
            table.row(clients, ceiling.tps(), ceiling.latency().percentileMs(50), ceiling.latency().percentileMs(99),
                    bench == null ? "–" : bench.tps(),
                    bench == null ? "–" : String.format("%.2f / %.2f", bench.latency().percentileMs(50), bench.latency().percentileMs(99)),
                    baton.tps(), baton.latency().percentileMs(50), baton.latency().percentileMs(99),
                    String.format("%.2f× / %s", baton.tps() / ceiling.tps(), bench == null ? "–" : String.format("%.2f×", baton.tps() / bench.tps())),
                    String.format("%.2f (%d/%d)", baton.conflictRate(), baton.conflict409(), baton.stale412()), baton.errors(),
                    String.format("%.2f / %.2f / %.2f / %.2f", ceilingPgPerOp, benchPgPerOp, batonPgPerOp, cpuPerOp),
                    ceilingSql.total() + " / " + (bench == null ? "–" : benchSql.total() + " + 2") + " / " + batonSql.total());
            if (c.statements()) {
                statementTables.append("\n#### ").append(clients).append(" clients: Baton\n").append(batonSql.table())
                        .append("\n#### ").append(clients).append(" clients: Vert.x ceiling\n").append(ceilingSql.table())
                        .append(bench == null ? "" : "\n#### " + clients + " clients: pgbench ceiling\n" + benchSql.table());
            }
        }
        return c.chats() + " chats, " + c.agents() + " agents (" + c.managers() + " managers issue the transfers), warm-up "
                + c.warmupSeconds() + " s + " + c.durationSeconds() + " s measured per cell, DB pool " + c.dbPool()
                + " for both Baton and the ceiling; Baton warmed first with " + c.jitWarmupSeconds() + " s of transfers at 16 clients; ceiling = select … for update, versioned update, CUSTODY insert, commit"
                + (pgbench.isPresent() ? "; the same change by " + pgbench.get().version() + " -M prepared, one connection per client (src/bench PgBench)"
                        : "; pgbench not found (pgbench=auto; apt-get install postgresql-client)")
                + ". Statements per transfer: pg_stat_statements calls (nested ones too: foreign-key checks) over every request of the cell, "
                + (c.statements() ? "warm-up included, and whatever the idle service polls meanwhile; pgbench's BEGIN and END go through the "
                        + "extended protocol, which pg_stat_statements does not count for utility statements: hence + 2." : "off (statements=on).")
                + " CPU per transfer likewise.\n\n" + table + statementTables;
    }

    private void reloadState() throws Exception {
        for (Row row : Env.await(env.pg.preparedQuery("select id, version, holder_id from chat where workspace_id = $1")
                .execute(Tuple.of(seed.workspaceId())))) {
            int i = chatIndex.get(row.getUUID(0));
            versions.set(i, row.getLong(1));
            holders[i] = row.getUUID(2);
        }
    }

    /** Runs {@code clients} loops for warm-up + duration; counts only what completes inside the measured window. */
    private Level closedLoop(int clients, IntFunction<Future<Integer>> op) throws Exception {
        return closedLoop(clients, op, env.config.warmupSeconds(), env.config.durationSeconds());
    }

    private Level closedLoop(int clients, IntFunction<Future<Integer>> op, int warmupSeconds, int durationSeconds) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(durationSeconds);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger c409 = new AtomicInteger();
        AtomicInteger c412 = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        Recorder latency = new Recorder();
        CountDownLatch done = new CountDownLatch(clients);
        for (int n = 0; n < clients; n++) {
            env.vertx.runOnContext(v -> new Object() {
                void next() {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        done.countDown();
                        return;
                    }
                    op.apply(ThreadLocalRandom.current().nextInt(seed.chats().size())).onComplete(ar -> {
                        long t1 = System.nanoTime();
                        completed.incrementAndGet();
                        if (t0 >= measureFrom && t1 <= end) {
                            int status = ar.succeeded() ? ar.result() : -1;
                            switch (status) {
                                case 200 -> {
                                    ok.incrementAndGet();
                                    latency.add((t1 - t0) / 1000);
                                }
                                case 409 -> c409.incrementAndGet();
                                case 412 -> c412.incrementAndGet();
                                default -> errors.incrementAndGet();
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
        return new Level(ok.get(), c409.get(), c412.get(), errors.get(), durationSeconds, latency, completed.get());
    }

    private UUID randomAgent() {
        return seed.agents().get(ThreadLocalRandom.current().nextInt(seed.agents().size()));
    }

    private Future<Integer> batonTransfer(HttpClient http, int i) {
        UUID to = randomAgent();
        String token = managerTokens[ThreadLocalRandom.current().nextInt(managerTokens.length)];
        long expected = versions.get(i);
        return http.request(HttpMethod.POST, "/api/v1/chats/" + seed.chats().get(i) + "/transfer").compose(req -> req
                .putHeader("Authorization", "Bearer " + token)
                .putHeader("Content-Type", "application/json")
                .putHeader("If-Match", "\"" + expected + "\"")
                .send(Buffer.buffer("{\"toAgentId\":\"" + to + "\"}"))
                .compose(resp -> resp.body().map(body -> {
                    if (resp.statusCode() == 200) {
                        String etag = resp.getHeader("ETag");
                        versions.accumulateAndGet(i, Long.parseLong(etag.replace("\"", "")), Math::max);
                        holders[i] = to;
                    } else if (resp.statusCode() == 412) {
                        Matcher m = VERSION_IN_DETAIL.matcher(body.toString());
                        if (m.find()) {
                            versions.accumulateAndGet(i, Long.parseLong(m.group(1)), Math::max);
                        }
                    } else if (resp.statusCode() != 409) {
                        System.err.println("transfer " + resp.statusCode() + ": " + body);
                    }
                    return resp.statusCode();
                })));
    }

    /** The bare state change: lock-read the chat, versioned update, CUSTODY entry, commit. */
    private Future<Integer> ceilingTransfer(int i) {
        UUID chat = seed.chats().get(i);
        UUID to = randomAgent();
        return env.pg.withTransaction(conn -> conn
                .preparedQuery("select workspace_id, holder_id, version, last_seq from chat where id = $1 for update")
                .execute(Tuple.of(chat)).compose(rows -> {
                    Row row = rows.iterator().next();
                    UUID from = row.getUUID(1);
                    if (to.equals(from)) {
                        return Future.succeededFuture(409);
                    }
                    long version = row.getLong(2);
                    long seq = row.getLong(3) + 1;
                    return conn.preparedQuery("update chat set holder_id = $2, status = 'INTERVENED', version = $3 + 1, last_seq = $4, "
                            + "activity_at = now() where id = $1 and version = $3")
                            .execute(Tuple.of(chat, to, version, seq))
                            .compose(updated -> conn.preparedQuery("insert into timeline_entry (chat_id, seq, workspace_id, kind, custody_action, "
                                    + "from_agent_id, to_agent_id, created_at) values ($1, $2, $3, 'CUSTODY', 'TRANSFER', $4, $5, now())")
                                    .execute(Tuple.of(chat, seq, row.getUUID(0), from, to)))
                            .map(200);
                }));
    }
}
