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
        int inboxAgents, List<Integer> rates, int takeoverRate, int dbPool, int connectConcurrency, int jitWarmupSeconds) {

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
                integer(kv, "jitWarmup", smoke ? 3 : 30));
    }

    private static int integer(Map<String, String> kv, String key, int fallback) {
        return Integer.parseInt(kv.getOrDefault(key, Integer.toString(fallback)));
    }

    private static List<Integer> list(Map<String, String> kv, String key, String fallback) {
        return Arrays.stream(kv.getOrDefault(key, fallback).split(",")).map(String::trim).map(Integer::parseInt).toList();
    }
}
