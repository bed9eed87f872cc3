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
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
    final int pgPort;
    final Pool pg;
    final List<Service> services = new ArrayList<>();
    private final EmbeddedPostgres postgres;
    private final PrivateKey signingKey;
    private final Path privatePem;
    private final Path publicPem;

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
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "on")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(work.resolve("postgres.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(work.resolve("postgres.log").toFile()))
                .start();
        pgPort = postgres.getPort();
        System.out.println("PostgreSQL on 127.0.0.1:" + pgPort + " (user postgres), logs in " + work);
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        pg = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(config.dbPool()))
                .connectingTo(new PgConnectOptions().setHost(HOST).setPort(pgPort).setDatabase("postgres")
                        .setUser("postgres").setPassword("postgres"))
                .using(vertx).build();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        signingKey = keys.getPrivate();
        privatePem = work.resolve("jwt-private.pem");
        publicPem = work.resolve("jwt-public.pem");
        Files.writeString(privatePem, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        Files.writeString(publicPem, pem("PUBLIC KEY", keys.getPublic().getEncoded()));
    }

    /** Starts one packaged instance and waits until it is ready (Flyway has run, LISTEN is up). */
    Service startService(Path target, int port) throws Exception {
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
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + HOST + ":" + pgPort + "/postgres");
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
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
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + managementPort + "/q/health/ready"))
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

    /**
     * CPU time of the PostgreSQL server so far (postmaster, its live children, and the reaped ones
     * accounted to it), in milliseconds: what each operation costs the database, not only the service.
     */
    long postgresCpuMs() throws IOException {
        long postmaster = -1;
        List<long[]> procs = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(dir.getFileName().toString());
                    procs.add(new long[] { pid, Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12]),
                            Long.parseLong(f[13]) + Long.parseLong(f[14]) });
                    String cmd = Files.readString(dir.resolve("cmdline")).replace('\0', ' ');
                    if (cmd.contains("bin/postgres ") && cmd.contains("-p " + pgPort + " ")) {
                        postmaster = pid;
                    }
                } catch (IOException | RuntimeException e) {
                    // the process went away meanwhile
                }
            }
        }
        long ticks = 0;
        for (long[] p : procs) {
            if (p[0] == postmaster) {
                ticks += p[2] + p[3];
            } else if (p[1] == postmaster) {
                ticks += p[2];
            }
        }
        return ticks * 10;
    }

    /** A token exactly as the service's TokenService issues it (RS256, iss/sub/ws/iat/nbf/exp/jti). */
    String token(UUID agentId, UUID workspaceId) {
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

    /** Setup, not measured: rows inserted directly with SQL (the password hash is never used). */
    Seed seed(String slug, int agents, int managers, int chats) throws Exception {
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
                + (Runtime.getRuntime().maxMemory() > 0 ? memTotal() : "?") + ", PostgreSQL 17 (embedded, fsync on), JDK "
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
            postgres.close();
        } catch (IOException ignored) {
            // the data directory is temporary
        }
    }
}
