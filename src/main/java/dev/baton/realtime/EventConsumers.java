package dev.baton.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import dev.baton.common.NativeSelects;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Durable consumers of the event log (webhook deliveries, channel sends, routing): each has a row in
 * {@code event_consumer} holding the snapshot up to which it has finished, so its progress survives
 * restarts and is shared by every replica.
 *
 * <p>{@link #process} claims the consumer's row ({@code FOR UPDATE SKIP LOCKED}: a replica that finds
 * it claimed does nothing, so no batch is done twice at once), reads — in one statement, hence one
 * snapshot S — every event whose transaction is not visible in the stored position, hands them to
 * the handler in the same transaction, and stores S. The handler's own writes (say, one delivery job
 * per event) commit together with the new position, or not at all. The same argument as for
 * {@link EventDispatcher} shows no committed event is skipped; retention ({@link EventRetention})
 * keeps every event a registered consumer has not passed.
 */
@ApplicationScoped
public class EventConsumers {

    /** One event as a consumer sees it: its id, chat and the stored deliveries (JSON). */
    public record LogEvent(long id, UUID workspaceId, UUID chatId, String deliveries) {
    }

    private static final String READ = "with s as (select pg_current_snapshot() as now) "
            + "select s.now::text, e.id, e.workspace_id, e.chat_id, e.deliveries "
            + "from s left join event e on " + LogPosition.unseenIn("cast(?1 as pg_snapshot)") + " order by e.id";

    /** Starts a consumer at the current point of the log, if it does not exist yet; it sees what commits from now on. */
    public Uni<Void> register(String name) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("insert into event_consumer (name) values (?1) on conflict (name) do nothing")
                .setParameter(1, name).executeUpdate())).replaceWithVoid();
    }

    /**
     * Runs the consumer's next batch on this replica; returns how many events it handled, or -1 when
     * another replica holds the claim.
     */
    public Uni<Integer> process(String name, Function<List<LogEvent>, Uni<Void>> handler) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("select cast(position as text) from event_consumer where name = ?1 for update skip locked", String.class)
                .setParameter(1, NativeSelects.once(name)).getResultList()
                .chain(claimed -> {
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(-1);
                    }
                    return session.createNativeQuery(READ, Object[].class).setParameter(1, NativeSelects.once(claimed.get(0))).getResultList()
                            .chain(rows -> {
                                List<LogEvent> events = new ArrayList<>(rows.size());
                                for (Object[] row : rows) {
                                    if (row[1] != null) {
                                        events.add(new LogEvent(((Number) row[1]).longValue(), (UUID) row[2], (UUID) row[3], (String) row[4]));
                                    }
                                }
                                String now = (String) rows.get(0)[0];
                                return handler.apply(events)
                                        .chain(() -> session.createNativeQuery(
                                                "update event_consumer set position = cast(?1 as pg_snapshot), updated_at = now() where name = ?2")
                                                .setParameter(1, now).setParameter(2, name).executeUpdate())
                                        .replaceWith(events.size());
                            });
                })));
    }
}
