package dev.baton.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * What every workload needs: one embedded PostgreSQL 17 (zonky, fsync on), an RSA key pair the
 * service is started with (so the harness can mint tokens for thousands of agents), one or two
 * packaged service instances, and a Vert.x with a PG pool for setup and for the raw ceiling.
 */
final class Env implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    final Config config;
    final Path work;
    final Vertx vertx;
    final String pgHost;
    final int pgPort;
    final String database;
    final Pool pg;
    private final long postmasterPid;
    private final String postgresDescription;
    private final Map<UUID, String> loginTokens = new ConcurrentHashMap<>();
    final List<Service> services = new ArrayList<>();
    private final EmbeddedPostgres postgres;
    private final PrivateKey signingKey;
    private final Path privatePem;
    private final Path publicPem;
    private final Path secretsKey;

    record Service(Process process, int port, Path log) {
        long rssKb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return -1;
        }

        /** CPU time (user + system) the process has used so far, in milliseconds. */
        long cpuMs() {
            try {
                String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A full GC first, so that garbage does not count as connection memory; then RSS. */
        long rssAfterGcKb() throws Exception {
            new ProcessBuilder("jcmd", Long.toString(process.pid()), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
            Thread.sleep(2000);
            return rssKb();
        }
    }

    Env(Config config, Path work) throws Exception {
        this.config = config;
        this.work = work;
        Files.createDirectories(work);
        // An interrupted run (Ctrl-C, kill) must not leave service JVMs behind: they outlive the harness otherwise.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> services.forEach(s -> s.process().destroyForcibly())));
        Config.Database db = config.database();
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        if (db.embedded()) {
            postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", db.syncCommit())
                    .setServerConfig("shared_preload_libraries", config.statements() ? "pg_stat_statements" : "")
                    // Nested statements too: the foreign-key checks (SELECT 1 … FOR KEY SHARE) run inside the inserts' triggers.
                    .setServerConfig("pg_stat_statements.track", config.statements() ? "all" : "top")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(work.resolve("postgres.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(work.resolve("postgres.log").toFile()))
                    .start();
            pgHost = HOST;
            pgPort = postgres.getPort();
            database = "postgres";
        } else {
            postgres = null;
            pgHost = db.host();
            pgPort = db.port();
            database = "bench_" + work.getFileName().toString().replace('-', '_') + "_" + System.currentTimeMillis();
            Pool admin = pool("postgres", 1);
            await(admin.query("create database " + database).execute());
            await(admin.close());
        }
        pg = pool(database, config.dbPool());
        if (config.statements()) {
            await(pg.query("create extension if not exists pg_stat_statements").execute());
        }
        Row server = await(pg.query("select pg_backend_pid(), version(), current_setting('synchronous_commit'), current_setting('fsync'), "
                + "current_setting('shared_buffers'), current_setting('max_connections')").execute()).iterator().next();
        postmasterPid = parentOf(server.getInteger(0));
        postgresDescription = server.getString(1).replaceAll(" on .*", "") + (db.embedded() ? " (embedded)" : " (external " + pgHost + ":" + pgPort + ")")
                + ", synchronous_commit " + server.getString(2) + ", fsync " + server.getString(3) + ", shared_buffers " + server.getString(4)
                + ", max_connections " + server.getString(5);
        System.out.println(postgresDescription + "; database " + database + ", logs in " + work);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        signingKey = keys.getPrivate();
        privatePem = work.resolve("jwt-private.pem");
        publicPem = work.resolve("jwt-public.pem");
        Files.writeString(privatePem, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        Files.writeString(publicPem, pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        secretsKey = work.resolve("secrets.key");
        Files.writeString(secretsKey, Base64.getEncoder().encodeToString(key));
    }

    private Pool pool(String db, int size) {
        Config.Database d = config.database();
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(size))
                .connectingTo(new PgConnectOptions().setHost(pgHost).setPort(pgPort).setDatabase(db).setUser(d.user()).setPassword(d.password()))
                .using(vertx).build();
    }

    private static long parentOf(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    /** Starts one packaged instance and waits until it is ready (Flyway has run, LISTEN is up). */
    Service startService(Path target, int port) throws Exception {
        return startService(target, port, Map.of());
    }

    /**
     * Same, with extra environment variables for the service. The port is {@code preferred} or the next one up whose
     * API and management ports are both free: another run on the machine (another branch's harness) may hold it, and a
     * readiness check answered by that other service would send this run's requests to it.
     */
    Service startService(Path target, int preferred, Map<String, String> extraEnv) throws Exception {
        int port = preferred;
        while (!free(port) || !free(port + 1000)) {
            port++;
        }
        Path log = work.resolve("service-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // Extra JVM options for the service, e.g. a flight recording: BENCH_SERVICE_JVM_OPTS="-XX:StartFlightRecording=..."
        String extra = System.getenv("BENCH_SERVICE_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", target.resolve("quarkus-app/quarkus-run.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + pgHost + ":" + pgPort + "/" + database);
        env.put("QUARKUS_DATASOURCE_USERNAME", config.database().user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", config.database().password());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // Health is on the management interface: one port above the API port, so two services never collide.
        int managementPort = port + 1000;
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        // The delivery workload opens 10,000 sockets besides its HTTP clients: above a pod's cap.
        env.put("BATON_MAX_CONNECTIONS", "20000");
        env.put("BATON_SIGNUP_ENABLED", "true");
        env.put("BATON_PASSWORD_ITERATIONS", "1000");
        env.put("BATON_DB_POOL_SIZE", Integer.toString(config.dbPool()));
        env.put("BATON_JWT_PRIVATE_KEY_LOCATION", privatePem.toString());
        env.put("BATON_JWT_PUBLIC_KEY_LOCATION", publicPem.toString());
        env.put("BATON_SECRETS_KEY_LOCATION", secretsKey.toString());
        env.putAll(extraEnv);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Service service = new Service(builder.start(), port, log);
        services.add(service);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!service.process().isAlive()) {
                throw new IllegalStateException("the service exited; see " + log);
            }
            try {
                // BENCH_HEALTH_ON_API_PORT=1: code from before the management interface (e.g. 5ced608) serves health on the API port.
                int healthPort = System.getenv("BENCH_HEALTH_ON_API_PORT") != null ? port : managementPort;
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + healthPort + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return service;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service did not become ready in 120 s; see " + log);
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * CPU time of the PostgreSQL server so far (postmaster, its live children, and the reaped ones
     * accounted to it), in milliseconds: what each operation costs the database, not only the service.
     */
    long postgresCpuMs() throws IOException {
        long ticks = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(dir.getFileName().toString());
                    if (pid == postmasterPid) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                    } else if (Long.parseLong(f[1]) == postmasterPid) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException e) {
                    // the process went away meanwhile
                }
            }
        }
        return ticks * 10;
    }

    /**
     * The agent's token: the one its login returned when the seed went through the API, else one
     * minted exactly as the service's TokenService issues it (RS256, iss/sub/ws/iat/nbf/exp/jti).
     */
    String token(UUID agentId, UUID workspaceId) {
        String issued = loginTokens.get(agentId);
        if (issued != null) {
            return issued;
        }
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            long now = System.currentTimeMillis() / 1000;
            String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String claims = "{\"iss\":\"baton\",\"sub\":\"" + agentId + "\",\"ws\":\"" + workspaceId + "\",\"iat\":" + now
                    + ",\"nbf\":" + now + ",\"exp\":" + (now + 8 * 3600) + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
            String input = header + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(signingKey);
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64.encodeToString(signer.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A seeded workspace: its owner, agents (the first {@code managers} of them MANAGERs) and chats, each held by an agent. */
    record Seed(UUID workspaceId, UUID ownerId, List<UUID> agents, List<UUID> chats, List<UUID> holders, List<String> phones) {
    }

    /** Setup, not measured, the way {@code setup=} says: SQL rows with minted tokens, or the REST API. */
    Seed seed(Service service, String slug, int agents, int managers, int chats) throws Exception {
        long t0 = System.nanoTime();
        Seed seed = config.setup().equals("api") ? seedThroughApi(service, slug, agents, managers, chats) : seedWithSql(slug, agents, managers, chats);
        System.out.printf("seeded %d agents and %d chats (setup=%s) in %.1f s%n", agents, chats, config.setup(), (System.nanoTime() - t0) / 1e9);
        return seed;
    }

    /** Rows inserted directly with SQL (the password hash is never used). */
    private Seed seedWithSql(String slug, int agents, int managers, int chats) throws Exception {
        UUID ws = UUID.randomUUID();
        UUID owner = UUID.randomUUID();
        await(pg.preparedQuery("insert into workspace (id, slug, name, created_at) values ($1, $2, $2, now())").execute(Tuple.of(ws, slug)));
        await(pg.preparedQuery("insert into agent (id, workspace_id, username, display_name, role, availability, active, password_hash, created_at) "
                + "values ($1, $2, 'owner', 'Owner', 'OWNER', 'ONLINE', true, 'x', now())").execute(Tuple.of(owner, ws)));
        await(pg.preparedQuery("insert into agent (id, workspace_id, username, display_name, role, availability, active, password_hash, created_at) "
                + "select gen_random_uuid(), $1, 'a' || lpad(g::text, 6, '0'), 'Agent ' || g, case when g <= $3 then 'MANAGER' else 'AGENT' end, "
                + "'ONLINE', true, 'x', now() from generate_series(1, $2) g").execute(Tuple.of(ws, agents, managers)));
        await(pg.preparedQuery("insert into chat (id, workspace_id, customer_phone, customer_name, status, holder_id, version, last_seq, "
                + "activity_at, created_at) select gen_random_uuid(), $1, '+1555' || lpad(g::text, 7, '0'), null, 'INTERVENED', a.id, 1, 0, now(), now() "
                + "from generate_series(0, $2 - 1) g join (select id, row_number() over (order by username) - 1 as rn from agent "
                + "where workspace_id = $1 and role <> 'OWNER') a on a.rn = g % $3").execute(Tuple.of(ws, chats, agents)));
        return seeded(ws, owner);
    }

    /** The seeded workspace as the database has it: agents by username, chats by phone with their holders. */
    private Seed seeded(UUID ws, UUID owner) throws Exception {
        await(pg.query("analyze").execute());
        List<UUID> agentIds = new ArrayList<>();
        for (Row row : await(pg.preparedQuery("select id from agent where workspace_id = $1 and role <> 'OWNER' order by username")
                .execute(Tuple.of(ws)))) {
            agentIds.add(row.getUUID(0));
        }
        List<UUID> chatIds = new ArrayList<>();
        List<UUID> holders = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        for (Row row : await(pg.preparedQuery("select id, holder_id, customer_phone from chat where workspace_id = $1 order by customer_phone")
                .execute(Tuple.of(ws)))) {
            chatIds.add(row.getUUID(0));
            holders.add(row.getUUID(1));
            phones.add(row.getString(2));
        }
        return new Seed(ws, owner, agentIds, chatIds, holders, phones);
    }

    /**
     * Sign-up, {@code POST /agents} for each agent, a login and {@code PUT /agents/me/availability}
     * for each, one {@code POST /inbound/messages} per chat and the owner's transfer of it to its
     * agent: what an outside client does to reach the same state (more rows: timeline entries and
     * events, real password hashes, login-issued tokens).
     */
    private Seed seedThroughApi(Service service, String slug, int agents, int managers, int chats) throws Exception {
        Api api = new Api(service.port());
        JsonObject signUp = api.call(null, "POST", "/api/v1/workspaces", new JsonObject().put("name", slug).put("slug", slug)
                .put("owner", new JsonObject().put("username", "owner").put("displayName", "Owner").put("password", "bench-password")), 201).join();
        String ownerToken = signUp.getJsonObject("token").getString("accessToken");
        UUID ws = UUID.fromString(signUp.getJsonObject("workspace").getString("id"));
        UUID owner = UUID.fromString(signUp.getJsonObject("owner").getString("id"));
        loginTokens.put(owner, ownerToken);
        List<UUID> agentIds = api.all(agents, i -> api.call(ownerToken, "POST", "/api/v1/agents", new JsonObject()
                .put("username", "a" + String.format("%06d", i + 1)).put("displayName", "Agent " + (i + 1)).put("password", "bench-password")
                .put("role", i < managers ? "MANAGER" : "AGENT"), 201).thenApply(a -> UUID.fromString(a.getString("id"))));
        api.all(agents, i -> api.call(null, "POST", "/api/v1/auth/login", new JsonObject().put("workspace", slug)
                .put("username", "a" + String.format("%06d", i + 1)).put("password", "bench-password"), 200)
                .thenCompose(login -> {
                    String token = login.getString("accessToken");
                    loginTokens.put(agentIds.get(i), token);
                    return api.call(token, "PUT", "/api/v1/agents/me/availability", new JsonObject().put("availability", "ONLINE"), 200);
                }));
        String channel = api.call(ownerToken, "POST", "/api/v1/channel-tokens", new JsonObject().put("name", "seed"), 201).join().getString("token");
        api.all(chats, g -> api.call(channel, "POST", "/api/v1/inbound/messages", new JsonObject().put("externalId", "seed-" + g)
                .put("customer", new JsonObject().put("phone", "+1555" + String.format("%07d", g))).put("text", "hello"), 201)
                .thenCompose(in -> api.call(ownerToken, "POST", "/api/v1/chats/" + in.getString("chatId") + "/transfer",
                        new JsonObject().put("toAgentId", agentIds.get(g % agents).toString()), 200)));
        return seeded(ws, owner);
    }

    /** A small JSON client for the API seed, at most 32 requests in flight. */
    private static final class Api {
        private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(32);
        private final String base;

        Api(int port) {
            base = "http://" + HOST + ":" + port;
        }

        java.util.concurrent.CompletableFuture<JsonObject> call(String token, String method, String path, JsonObject body, int expected) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            inFlight.acquireUninterruptibly();
            return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> inFlight.release())
                    .thenApply(r -> {
                        if (r.statusCode() != expected) {
                            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
                        }
                        return new JsonObject(r.body());
                    });
        }

        /** Runs {@code n} calls (each may chain several requests) and returns their results in order. */
        <T> List<T> all(int n, java.util.function.IntFunction<java.util.concurrent.CompletableFuture<T>> call) {
            List<java.util.concurrent.CompletableFuture<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(call.apply(i));
            }
            return futures.stream().map(java.util.concurrent.CompletableFuture::join).toList();
        }
    }

    /** Forgets the statement counts so far (statements=on). */
    void resetStatements() throws Exception {
        if (config.statements()) {
            await(pg.query("select pg_stat_statements_reset()").execute());
        }
    }

    /** What the statements since the reset cost per operation: the total and the table by normalized query. */
    record Statements(double perOperation, String table) {
        static final Statements NONE = new Statements(Double.NaN, "");

        String total() {
            return Double.isNaN(perOperation) ? "–" : String.format("%.1f", perOperation);
        }
    }

    /** The statements run on this database since the reset, as calls per operation, most frequent first (statements=on). */
    String statementsPer(String operation, long operations) throws Exception {
        return statements(operation, operations).table();
    }

    /**
     * Same, as a total and a table. Counted: every normalized statement, nested ones included (the foreign-key
     * checks the inserts' triggers run) with {@code pg_stat_statements.track=all}, BEGIN and COMMIT as utility statements.
     */
    Statements statements(String operation, long operations) throws Exception {
        if (!config.statements()) {
            return Statements.NONE;
        }
        Bench.Table table = new Bench.Table("calls per " + operation, "ms per " + operation, "statement");
        double total = 0;
        for (Row row : await(pg.preparedQuery("select calls, total_exec_time, regexp_replace(query, '\\s+', ' ', 'g') from pg_stat_statements "
                + "where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%' "
                + "order by calls desc limit 40").execute())) {
            double calls = row.getLong(0) / (double) Math.max(1, operations);
            total += calls;
            String query = row.getString(2);
            table.row(String.format("%.2f", calls), String.format("%.3f", row.getDouble(1) / Math.max(1, operations)),
                    "`" + (query.length() > 160 ? query.substring(0, 160) + "…" : query).replace("|", "\\|") + "`");
        }
        return new Statements(total, String.format("%nSQL per %s (pg_stat_statements, %d %ss): %.1f statements in total%n%n", operation,
                operations, operation, total) + table);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
    }

    static RowSet<Row> rows(Future<RowSet<Row>> future) throws Exception {
        return await(future);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException ignored) {
            // informative only
        }
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + (Runtime.getRuntime().maxMemory() > 0 ? memTotal() : "?") + ", " + postgresDescription + ", setup " + config.setup() + ", JDK "
                + System.getProperty("java.version") + ", load average at start " + String.format("%.2f", load);
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal")).findFirst()
                    .map(l -> (Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024) + " GiB RAM").orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public void close() {
        for (Service s : services) {
            s.process().destroy();
        }
        for (Service s : services) {
            try {
                if (!s.process().waitFor(30, TimeUnit.SECONDS)) {
                    s.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                s.process().destroyForcibly();
            }
        }
        try {
            pg.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // exiting anyway
        }
        try {
            if (postgres != null) {
                postgres.close();
            } else {
                Pool admin = pool("postgres", 1);
                await(admin.query("drop database if exists " + database + " with (force)").execute());
                admin.close();
            }
        } catch (Exception ignored) {
            // the embedded data directory is temporary; an external bench database left behind is named bench_*
        }
    }
}
