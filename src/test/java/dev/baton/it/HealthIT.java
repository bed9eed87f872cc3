package dev.baton.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Readiness follows the database: DOWN while PostgreSQL is unreachable, UP again by itself. */
class HealthIT {

    private static ExternalPostgres postgres;
    private static PackagedBaton baton;

    @BeforeAll
    static void start() {
        postgres = ExternalPostgres.start();
        baton = PackagedBaton.start(postgres);
    }

    @AfterAll
    static void stop() {
        if (baton != null) {
            baton.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void shouldGoUnreadyWhileTheDatabaseIsDownAndRecoverWithoutARestart() {
        long pid = baton.process().pid();
        postgres.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> baton.status("/q/health/ready"), equalTo(503));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> baton.status("/q/health/live"), equalTo(200));

        postgres.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> baton.status("/q/health/ready"), equalTo(200));
        await().atMost(Duration.ofSeconds(5)).until(() -> baton.process().pid() == pid && baton.process().isAlive());
    }
}
