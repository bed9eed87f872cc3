package dev.baton.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Readiness follows the database: DOWN while PostgreSQL is unreachable, UP again by itself. */
class HealthIT {

    @RegisterExtension
    static final PackagedStack stack = new PackagedStack();

    @Test
    void shouldGoUnreadyWhileTheDatabaseIsDownAndRecoverWithoutARestart() {
        long pid = stack.baton().process().pid();
        stack.postgres().stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> stack.baton().health("ready"), equalTo(503));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> stack.baton().health("live"), equalTo(200));

        stack.postgres().restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.baton().health("ready"), equalTo(200));
        await().atMost(Duration.ofSeconds(5)).until(() -> stack.baton().process().pid() == pid && stack.baton().process().isAlive());
    }
}
