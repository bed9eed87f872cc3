package dev.baton.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The transfer ceiling run a second way (issue 17): {@code pgbench -M prepared} with a custom script
 * doing the same bare state change as {@link TransferBench}'s Vert.x ceiling — the chat row locked,
 * holder and version updated, the CUSTODY entry inserted, commit — one connection per client, against
 * the same database. The random chat and target are found by the seed's naming (phone and username,
 * both through unique indexes) inside the locking statement, as pgbench cannot pick from a list of ids.
 */
final class PgBench {

    private static final String SCRIPT = """
            \\set g random(0, :nchats - 1)
            \\set a random(1, :nagents)
            BEGIN;
            SELECT id AS chat_id, workspace_id AS ws_id, holder_id AS from_id, version AS v, last_seq + 1 AS next_seq, \
            (SELECT id FROM agent WHERE workspace_id = :ws AND lower(username) = 'a' || lpad(:a::text, 6, '0')) AS to_id \
            FROM chat WHERE workspace_id = :ws AND customer_phone = '+1555' || lpad(:g::text, 7, '0') FOR UPDATE \\gset
            UPDATE chat SET holder_id = :to_id, status = 'INTERVENED', version = :v + 1, last_seq = :next_seq, activity_at = now() \
            WHERE id = :chat_id AND version = :v;
            INSERT INTO timeline_entry (chat_id, seq, workspace_id, kind, custody_action, from_agent_id, to_agent_id, created_at) \
            VALUES (:chat_id, :next_seq, :ws_id, 'CUSTODY', 'TRANSFER', :from_id, :to_id, now());
            END;
            """;

    /** One run: transactions completed in the measured window, their latencies, and every transaction of the run. */
    record Result(int ok, double seconds, Recorder latency, int all) {
        double tps() {
            return ok / seconds;
        }
    }

    private final Env env;
    private final Path binary;

    private PgBench(Env env, Path binary) {
        this.env = env;
        this.binary = binary;
    }

    /**
     * {@code pgbench=auto} (default): the pgbench on PATH or Debian's /usr/lib/postgresql/N/bin (package
     * postgresql-client); {@code pgbench=off}; or a path. Empty when there is none.
     */
    static Optional<PgBench> find(Env env) throws IOException {
        String wanted = env.config.pgbench();
        if (wanted.equals("off")) {
            return Optional.empty();
        }
        List<Path> candidates = new ArrayList<>();
        if (!wanted.equals("auto")) {
            candidates.add(Path.of(wanted));
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                candidates.add(Path.of(dir, "pgbench"));
            }
            Path debian = Path.of("/usr/lib/postgresql");
            if (Files.isDirectory(debian)) {
                try (Stream<Path> versions = Files.list(debian)) {
                    versions.sorted((x, y) -> y.compareTo(x)).forEach(v -> candidates.add(v.resolve("bin/pgbench")));
                }
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().map(p -> new PgBench(env, p));
    }

    String version() throws Exception {
        Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    /** {@code clients} connections for warm-up + duration; counts what completes inside the measured window. */
    Result run(UUID workspaceId, int chats, int agents, int clients, int warmupSeconds, int durationSeconds) throws Exception {
        Path dir = env.work.resolve("pgbench-" + clients);
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            for (Path f : old.toList()) {
                Files.delete(f);
            }
        }
        Path script = dir.resolve("transfer.sql");
        Files.writeString(script, SCRIPT);
        Config.Database db = env.config.database();
        List<String> command = List.of(binary.toString(), "-n", "-M", "prepared", "-c", Integer.toString(clients), "-j",
                Integer.toString(Math.min(clients, 2)), "-T", Integer.toString(warmupSeconds + durationSeconds), "-f", script.toString(),
                "-D", "ws=" + workspaceId, "-D", "nchats=" + chats, "-D", "nagents=" + agents, "-l", "--log-prefix=" + dir.resolve("tx"),
                "-h", env.pgHost, "-p", Integer.toString(env.pgPort), "-U", db.user(), env.database);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(dir.resolve("pgbench.out").toFile()));
        builder.environment().putAll(Map.of("PGPASSWORD", db.password()));
        long startedAt = System.currentTimeMillis();
        Process process = builder.start();
        if (!process.waitFor(warmupSeconds + durationSeconds + 120L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("pgbench did not finish; see " + dir);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("pgbench exited with " + process.exitValue() + ": " + Files.readString(dir.resolve("pgbench.out")));
        }
        // Per-transaction log: client, transaction number, latency µs, script, completion time (s, µs).
        long measureFromMicros = (startedAt + warmupSeconds * 1000L) * 1000;
        long endMicros = measureFromMicros + durationSeconds * 1_000_000L;
        Recorder latency = new Recorder();
        int ok = 0;
        int all = 0;
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("tx.")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    String[] f = line.split(" ");
                    all++;
                    long doneMicros = Long.parseLong(f[4]) * 1_000_000 + Long.parseLong(f[5]);
                    long micros = Long.parseLong(f[2]);
                    if (doneMicros - micros >= measureFromMicros && doneMicros <= endMicros) {
                        ok++;
                        latency.add(micros);
                    }
                }
            }
        }
        return new Result(ok, durationSeconds, latency, all);
    }
}
