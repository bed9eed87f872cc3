package dev.baton.problem;

import java.sql.SQLException;

import org.hibernate.JDBCException;

import io.vertx.pgclient.PgException;

/** The PostgreSQL SQLSTATE behind a failure, wherever Hibernate Reactive wrapped it. */
public final class SqlState {

    public static final String UNIQUE_VIOLATION = "23505";
    public static final String SERIALIZATION_FAILURE = "40001";
    public static final String DEADLOCK_DETECTED = "40P01";
    /** Class 22: a value PostgreSQL refuses (bad encoding, out of range, ...). */
    public static final String DATA_EXCEPTION_CLASS = "22";

    private SqlState() {
    }

    /** The SQLSTATE, or null when the failure did not come from PostgreSQL. */
    public static String of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return pg.getSqlState();
            }
            // Hibernate Reactive turns the PgException into a JDBC-style exception that keeps only the state.
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
            if (t instanceof JDBCException jdbc && jdbc.getSQLState() != null) {
                return jdbc.getSQLState();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    public static boolean isUniqueViolation(Throwable failure) {
        return UNIQUE_VIOLATION.equals(of(failure));
    }
}
