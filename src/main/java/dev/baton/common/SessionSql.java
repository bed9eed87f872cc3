package dev.baton.common;

import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * A write sent as it is on the current session's connection, inside its transaction, without
 * Hibernate's query machinery: for the statement every custody change and message runs (the
 * timeline entry, its event row and the chat's changed columns, see timeline.Timeline and realtime.Outbox), where the action queue, the flush and the
 * native-query interpretation cost more service CPU than the database spends on them (JFR,
 * 2026-12-02: persist and flush, the chat's update included, were 20 % of the event loops' samples).
 *
 * <p>Plain PostgreSQL: placeholders {@code $1..$n}; parameters as the Vert.x client takes them
 * (UUID, String, Long, OffsetDateTime, null; enums by {@code name()}). Nothing written this way is
 * in the session: the entities it writes must not be loaded and changed in the same transaction — except
 * the chat, whose writer tells Hibernate afterwards that its changes are written (timeline.Timeline).
 * Hibernate Reactive's {@code MutinySessionImpl.getReactiveConnection()} is public API of its
 * implementation class; if an upgrade changes that, every write test fails here at once.
 */
public final class SessionSql {

    private SessionSql() {
    }

    /** Runs {@code sql} with {@code params} on the session's connection; the number of rows written. */
    public static Uni<Integer> update(String sql, Object... params) {
        return Panache.getSession().chain(session -> Uni.createFrom().completionStage(() -> connection(session).update(sql, params)));
    }

    private static org.hibernate.reactive.pool.ReactiveConnection connection(Mutiny.Session session) {
        if (session instanceof MutinySessionImpl impl) {
            return impl.getReactiveConnection();
        }
        throw new IllegalStateException("not a Hibernate Reactive Mutiny session: " + session.getClass().getName());
    }
}
