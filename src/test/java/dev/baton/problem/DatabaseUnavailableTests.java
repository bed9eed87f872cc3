package dev.baton.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.vertx.core.Future;

/** Which failures are "the database is not reachable right now" (503), and which are bugs (500). */
class DatabaseUnavailableTests {

    @Test
    void shouldTreatAPoolAcquireTimeoutAsUnavailable() {
        // What vertx-sql-client's SqlConnectionPool fails a waiter with after the acquire timeout.
        Throwable timeout = Future.failedFuture("Timeout").cause();
        assertTrue(DatabaseUnavailable.matches(timeout));
        assertTrue(DatabaseUnavailable.matches(new CompletionException(timeout)));
    }

    @Test
    void shouldNotTreatOtherFailuresAsUnavailable() {
        assertFalse(DatabaseUnavailable.matches(Future.failedFuture("something else").cause()));
        assertFalse(DatabaseUnavailable.matches(new IllegalStateException("Timeout")));
    }
}
