package dev.baton.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sizes of a run. Full size is what issue 5 asks for; {@code smoke=true} shrinks everything so a
 * run takes about a minute. Any value can be overridden with key=value arguments
 * ({@code -Dbench.args="duration=10 agents=2000"}).
 */
record Config(boolean smoke, int chats, int agents, int managers, List<Integer> clients, int warmupSeconds, int durationSeconds,
        int inboxAgents, List<Integer> rates, int takeoverRate, int dbPool, int connectConcurrency, int jitWarmupSeconds,
        Database database, String setup, boolean statements, String pgbench, int waPacer, List<Integer> sendRates,
        int webhookEndpoints, boolean hangingEndpoint, int routingChats, int routingAgents, int routingInFlight) {

    /**
     * Where PostgreSQL comes from. {@code pg=embedded} (default) starts zonky's PostgreSQL 17 with
     * {@code synchronous_commit} as given ({@code syncCommit=on} by default: zonky's builder turns it
     * off unless told, which hides every WAL flush a production server waits for).
     * {@code pg=external} uses a running server (e.g. Debian's PostgreSQL 15, started by
     * {@code src/bench/debian-pg15.sh}) at {@code pgHost}:{@code pgPort} with its own settings, in a
     * fresh database per workload.
     */
    record Database(String kind, String syncCommit, String host, int port, String user, String password) {
        boolean embedded() {
            return kind.equals("embedded");
        }
    }

    static Config parse(String[] args) {
        Map<String, String> kv = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                kv.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
        }
        boolean smoke = Boolean.parseBoolean(kv.getOrDefault("smoke", "false"));
        return new Config(smoke,
                integer(kv, "chats", smoke ? 500 : 10_000),
                integer(kv, "agents", smoke ? 50 : 500),
                integer(kv, "managers", smoke ? 5 : 50),
                list(kv, "clients", smoke ? "2,8" : "8,32,64"),
                integer(kv, "warmup", smoke ? 2 : 5),
                integer(kv, "duration", smoke ? 4 : 20),
                integer(kv, "inboxAgents", smoke ? 200 : 10_000),
                list(kv, "rates", smoke ? "50,100" : "1000,2000"),
                integer(kv, "takeoverRate", smoke ? 10 : 50),
                integer(kv, "dbPool", 20),
                integer(kv, "connectConcurrency", 100),
                integer(kv, "jitWarmup", smoke ? 3 : 30),
                new Database(kv.getOrDefault("pg", "embedded"), kv.getOrDefault("syncCommit", "on"), kv.getOrDefault("pgHost", "127.0.0.1"),
                        integer(kv, "pgPort", 5432), kv.getOrDefault("pgUser", "postgres"), kv.getOrDefault("pgPassword", "postgres")),
                // setup=sql inserts agents and chats directly and mints tokens; setup=api creates them through
                // the REST API (sign-up, POST /agents, login, inbound, transfer) as an outside client would.
                kv.getOrDefault("setup", "sql"),
                // statements=on: the embedded server loads pg_stat_statements and workloads print the SQL
                // each operation costs (calls per message): a count no other load on the machine can skew.
                List.of("on", "true").contains(kv.getOrDefault("statements", "off")),
                // pgbench=auto|off|/path: the transfer workload's second ceiling, pgbench -M prepared (see PgBench).
                kv.getOrDefault("pgbench", "auto"),
                // whatsapp workload: the service's per-number pacer (BATON_WHATSAPP_MESSAGES_PER_SECOND, default 80)
                // and the reply rates offered against it (default: the pacer's rate, then twice it).
                integer(kv, "waPacer", 80),
                kv.containsKey("sendRates") ? list(kv, "sendRates", "") : List.of(integer(kv, "waPacer", 80), 2 * integer(kv, "waPacer", 80)),
                // webhooks workload: healthy receivers subscribed during the second phase, and whether a hanging one is too.
                integer(kv, "endpoints", 1),
                !kv.getOrDefault("hanging", "on").equals("off"),
                // routing workload: chats handed off at once, ONLINE agents (capacity 5 each), hand-off posts in flight.
                integer(kv, "routingChats", smoke ? 500 : 5_000),
                integer(kv, "routingAgents", smoke ? 20 : 200),
                integer(kv, "routingInFlight", 20));
    }

    private static int integer(Map<String, String> kv, String key, int fallback) {
        return Integer.parseInt(kv.getOrDefault(key, Integer.toString(fallback)));
    }

    private static List<Integer> list(Map<String, String> kv, String key, String fallback) {
        return Arrays.stream(kv.getOrDefault(key, fallback).split(",")).map(String::trim).map(Integer::parseInt).toList();
    }
}
