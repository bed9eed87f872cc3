package dev.baton.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.baton.problem.ApiException;

/** The throttle's budgets, without HTTP: reservations, and why a spent address does not lock anybody else out. */
class LoginThrottleTests {

    private final LoginThrottle throttle = new LoginThrottle(3, 4, Duration.ofMinutes(5));

    @Test
    void shouldCountAttemptsInFlightAgainstTheAccountBudget() {
        LoginThrottle.Attempt[] inFlight = { throttle.begin("ws", "bob", "a"), throttle.begin("ws", "bob", "b"), throttle.begin("ws", "Bob", "c") };
        assertEquals(429, assertThrows(ApiException.class, () -> throttle.begin("ws", "bob", "d")).status());
        inFlight[0].succeeded();
        inFlight[1].release();
        // Places given back: a success and an undecided attempt count nothing.
        throttle.begin("ws", "bob", "e").failed();
        assertEquals(401, throttle.begin("ws", "bob", "f").failed().status());
        inFlight[2].failed();
        assertEquals(429, assertThrows(ApiException.class, () -> throttle.begin("ws", "bob", "g")).status());
        assertEquals(401, throttle.begin("ws", "alice", "g").failed().status());
    }

    @Test
    void shouldAnswerASpentAddressWith429ForWrongPasswordsOnlyAndLetRightOnesIn() {
        for (int i = 0; i < 4; i++) {
            assertEquals(401, throttle.begin("ws", "guess" + i, "203.0.113.9").failed().status());
        }
        assertEquals(429, throttle.begin("ws", "guess-next", "203.0.113.9").failed().status());
        // Everyone behind the same unconfigured proxy shares that address: a right password still logs in.
        throttle.begin("ws", "victim", "203.0.113.9").succeeded();
        assertEquals(401, throttle.begin("ws", "victim", "198.51.100.2").failed().status());
    }
}
