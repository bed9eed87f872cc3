package dev.baton.auth;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.baton.problem.ApiException;
import jakarta.inject.Singleton;

/**
 * Slows password guessing. Per account (workspace + username, from any address): once failures in
 * the window plus attempts still being checked reach the budget, further attempts get 429 with
 * Retry-After before any password is hashed, the right password included, so guessing cannot confirm
 * a hit. The attempt is reserved before hashing: checking first and counting the failure after let 30
 * simultaneous guesses all through.
 *
 * <p>Per client address ({@link ClientAddress}): failures are counted too, and once the address has
 * spent its budget its wrong passwords are answered 429 instead of 401, but a correct password for
 * an account that is not itself throttled still logs in. Behind a proxy that is not configured as
 * trusted every client shares one address, and a hard per-address block would let one anonymous
 * client lock everybody out (as Auth0 and Keycloak avoid: their lockouts are per user, or per user
 * and address). Each password stays protected by its account budget whatever the address.
 *
 * <p>Counts live in this replica's memory: with N replicas an attacker gets at most N times the
 * budget, which keeps the limit meaningful without a shared store.
 */
@Singleton
public class LoginThrottle {

    private static final int MAX_KEYS = 100_000;

    private final int perAccount;
    private final int perAddress;
    private final long windowMillis;
    /** Every change to a window runs inside the map's compute for its key, which is atomic per key. */
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public LoginThrottle(@ConfigProperty(name = "baton.login.max-failures-per-account", defaultValue = "5") int perAccount,
            @ConfigProperty(name = "baton.login.max-failures-per-address", defaultValue = "50") int perAddress,
            @ConfigProperty(name = "baton.login.failure-window", defaultValue = "PT5M") Duration window) {
        this.perAccount = perAccount;
        this.perAddress = perAddress;
        this.windowMillis = window.toMillis();
    }

    /** Reserves one attempt on the account's budget, or refuses with 429 when it is spent. Settle it exactly once. */
    public Attempt begin(String workspace, String username, String address) {
        long now = System.currentTimeMillis();
        if (windows.size() > MAX_KEYS) {
            forgetIdle(now);
        }
        String account = "a:" + workspace + "\u0000" + username.toLowerCase();
        windows.compute(account, (key, existing) -> {
            Window window = existing == null ? new Window() : existing;
            long wait = window.reserve(perAccount, now);
            if (wait > 0) {
                throw TooManyAttempts.after(wait);
            }
            return window;
        });
        return new Attempt(account, "ip:" + address);
    }

    /** One login attempt holding a place in its account's budget until it is settled. */
    public final class Attempt {

        private final String account;
        private final String address;
        private final AtomicBoolean settled = new AtomicBoolean();

        private Attempt(String account, String address) {
            this.account = account;
            this.address = address;
        }

        /** A wrong password or an unusable account: counted on both budgets. Returns the refusal to answer with. */
        public ApiException failed() {
            long now = System.currentTimeMillis();
            long[] addressWait = { 0 };
            windows.computeIfPresent(address, (key, window) -> {
                addressWait[0] = window.wait(perAddress, now);
                return window;
            });
            if (settled.compareAndSet(false, true)) {
                windows.compute(account, (key, window) -> window.settle(true, now, perAccount));
                windows.compute(address, (key, existing) -> (existing == null ? new Window() : existing).record(now, perAddress));
            }
            return addressWait[0] > 0 ? TooManyAttempts.after(addressWait[0]) : ApiException.unauthorized();
        }

        public void succeeded() {
            if (settled.compareAndSet(false, true)) {
                windows.compute(account, (key, window) -> window.settle(false, 0, perAccount).clear());
            }
        }

        /** Nothing was decided (the database failed, say): the place is given back uncounted. No-op once settled. */
        public void release() {
            if (settled.compareAndSet(false, true)) {
                windows.compute(account, (key, window) -> window.settle(false, 0, perAccount));
            }
        }
    }

    /**
     * Bounds memory without handing attackers a reset: windows with nothing in them go first; only if
     * that frees too little are address windows dropped (account budgets stay).
     */
    private void forgetIdle(long now) {
        for (String key : windows.keySet()) {
            windows.computeIfPresent(key, (k, window) -> window.idle(now) ? null : window);
        }
        if (windows.size() > MAX_KEYS) {
            windows.keySet().removeIf(key -> key.startsWith("ip:"));
        }
    }

    /** Failure times inside the window (at most the budget's worth) and attempts in flight. */
    private final class Window {

        private final ArrayDeque<Long> failures = new ArrayDeque<>();
        private int inFlight;

        /** 0 after taking a place, else the milliseconds to wait. */
        long reserve(int budget, long now) {
            long wait = wait(budget, now);
            if (wait > 0) {
                return wait;
            }
            if (failures.size() + inFlight >= budget) {
                return 1000; // the attempts in flight are decided within a moment
            }
            inFlight++;
            return 0;
        }

        long wait(int budget, long now) {
            while (!failures.isEmpty() && failures.peekFirst() <= now - windowMillis) {
                failures.removeFirst();
            }
            if (failures.size() < budget) {
                return 0;
            }
            return failures.toArray(new Long[0])[failures.size() - budget] + windowMillis - now;
        }

        Window settle(boolean failed, long now, int budget) {
            inFlight--;
            return failed ? record(now, budget) : this;
        }

        Window record(long now, int budget) {
            failures.addLast(now);
            while (failures.size() > budget) {
                failures.removeFirst();
            }
            return this;
        }

        Window clear() {
            failures.clear();
            return this;
        }

        boolean idle(long now) {
            wait(Integer.MAX_VALUE, now);
            return failures.isEmpty() && inFlight == 0;
        }
    }

    /** 429 with the number of seconds to wait. */
    static final class TooManyAttempts extends ApiException {
        private final long retryAfterSeconds;

        static TooManyAttempts after(long waitMillis) {
            return new TooManyAttempts(Math.max(1, (waitMillis + 999) / 1000));
        }

        private TooManyAttempts(long retryAfterSeconds) {
            super(429, "too-many-requests", "Too many failed logins; retry in " + retryAfterSeconds + " s.");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("Retry-After", Long.toString(retryAfterSeconds));
        }
    }
}
