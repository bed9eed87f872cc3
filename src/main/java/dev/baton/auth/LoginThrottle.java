package dev.baton.auth;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.baton.problem.ApiException;
import jakarta.inject.Singleton;

/**
 * Slows password guessing: after too many failed logins in a window, per account (workspace +
 * username) and per client address, further attempts get 429 with Retry-After until the window
 * moves on. Counts live in this replica's memory: with N replicas an attacker gets at most N times
 * the budget, which keeps the limit meaningful without a shared store.
 */
@Singleton
public class LoginThrottle {

    private static final int MAX_KEYS = 100_000;

    private final int perAccount;
    private final int perAddress;
    private final long windowMillis;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(@ConfigProperty(name = "baton.login.max-failures-per-account", defaultValue = "5") int perAccount,
            @ConfigProperty(name = "baton.login.max-failures-per-address", defaultValue = "50") int perAddress,
            @ConfigProperty(name = "baton.login.failure-window", defaultValue = "PT5M") Duration window) {
        this.perAccount = perAccount;
        this.perAddress = perAddress;
        this.windowMillis = window.toMillis();
    }

    /** Refuses with 429 when either budget is spent. */
    public void check(String workspace, String username, String address) {
        long now = System.currentTimeMillis();
        long wait = Math.max(waitMillis(accountKey(workspace, username), perAccount, now), waitMillis(addressKey(address), perAddress, now));
        if (wait > 0) {
            long seconds = Math.max(1, (wait + 999) / 1000);
            throw new TooManyAttempts(seconds);
        }
    }

    public void failed(String workspace, String username, String address) {
        if (failures.size() > MAX_KEYS) {
            forgetExpired(System.currentTimeMillis());
        }
        long now = System.currentTimeMillis();
        record(accountKey(workspace, username), now);
        record(addressKey(address), now);
    }

    public void succeeded(String workspace, String username) {
        failures.remove(accountKey(workspace, username));
    }

    /**
     * Bounds memory without handing attackers a reset: entries whose failures have all left the
     * window go first; only if that frees nothing are address entries dropped (account budgets stay).
     */
    private void forgetExpired(long now) {
        failures.entrySet().removeIf(e -> {
            Deque<Long> times = e.getValue();
            synchronized (times) {
                return times.isEmpty() || times.peekLast() <= now - windowMillis;
            }
        });
        if (failures.size() > MAX_KEYS) {
            failures.keySet().removeIf(key -> key.startsWith("ip:"));
        }
    }

    private void record(String key, long now) {
        failures.compute(key, (k, times) -> {
            Deque<Long> q = times == null ? new ArrayDeque<>() : times;
            synchronized (q) {
                q.addLast(now);
                while (q.size() > Math.max(perAccount, perAddress)) {
                    q.removeFirst();
                }
            }
            return q;
        });
    }

    private long waitMillis(String key, int budget, long now) {
        Deque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
                times.removeFirst();
            }
            if (times.size() < budget) {
                return 0;
            }
            Long oldestRelevant = times.toArray(new Long[0])[times.size() - budget];
            return oldestRelevant + windowMillis - now;
        }
    }

    private static String accountKey(String workspace, String username) {
        return "a:" + workspace + "\u0000" + username.toLowerCase();
    }

    private static String addressKey(String address) {
        return "ip:" + address;
    }

    /** 429 with the number of seconds to wait. */
    static final class TooManyAttempts extends ApiException {
        private final long retryAfterSeconds;

        TooManyAttempts(long retryAfterSeconds) {
            super(429, "too-many-requests", "Too many failed logins; retry in " + retryAfterSeconds + " s.");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("Retry-After", Long.toString(retryAfterSeconds));
        }
    }
}
