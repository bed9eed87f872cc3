package dev.baton.problem;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.ClosedConnectionException;

/** Recognises failures that mean "PostgreSQL is not reachable right now" (answered with 503). */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    public static boolean matches(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // A connection refused, reset while PostgreSQL shuts down (IOException) or lost under a query
            // (ClosedConnectionException) are all the same passing outage.
            if (t instanceof IOException || t instanceof TimeoutException || t instanceof ClosedConnectionException
                    || t instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if (t instanceof VertxException && (message.contains("Connection refused")
                    || message.contains("closed") || message.contains("Timeout"))) {
                return true;
            }
            // No pooled connection within BATON_DB_ACQUIRE_TIMEOUT: the pool fails the wait with a bare
            // NoStackTraceThrowable("Timeout") (seen under a saturating benchmark as 500s before this).
            if (t instanceof NoStackTraceThrowable && message.equals("Timeout")) {
                return true;
            }
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
