package dev.baton.realtime;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.common.SessionSql;
import dev.baton.realtime.Envelope.Performer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The write side of the event log: events are written inside the caller's transaction (so they
 * exist iff it commits), and {@link #transaction} wakes delivery once it has committed. Each
 * delivery goes to its {@code agentId}'s inbox (if set) and then to its audience group.
 */
@ApplicationScoped
public class Outbox {

    /** One event for one audience. */
    public record Delivery(Audience audience, UUID agentId, Event event) {
    }

    /** What every frame of one write shares: the chat (or none), the timeline seq and time, who acted. */
    public record Source(UUID workspaceId, UUID chatId, Long seq, OffsetDateTime at, Performer performer) {
    }

    private static final String INSERT = eventInsert(0);
    private static final String CUSTODY_CHANGED = "baton.outbox.custody-changed";

    private final ObjectMapper json;
    private final EventDispatcher dispatcher;
    private final List<Consumer<UUID>> custodyListeners = new CopyOnWriteArrayList<>();

    public Outbox(ObjectMapper json, EventDispatcher dispatcher) {
        this.json = json;
        this.dispatcher = dispatcher;
    }

    /**
     * Runs {@code work} in one transaction and, once it has committed, wakes delivery here and on the
     * other instances: every write path that publishes events goes through this.
     */
    public <T> Uni<T> transaction(Supplier<Uni<T>> work) {
        if (!VertxContext.isOnDuplicatedContext()) {
            return Panache.withTransaction(work).invoke(dispatcher::committed);
        }
        // The workspaces whose custody this transaction changes; an enclosing transaction's set is shared.
        Set<UUID> changed = ContextLocals.<Set<UUID>> get(CUSTODY_CHANGED).orElse(null);
        if (changed != null) {
            return Panache.withTransaction(work).invoke(dispatcher::committed);
        }
        Set<UUID> mine = new HashSet<>();
        ContextLocals.put(CUSTODY_CHANGED, mine);
        return Panache.withTransaction(work)
                .invoke(() -> {
                    dispatcher.committed();
                    mine.forEach(workspaceId -> custodyListeners.forEach(listener -> listener.accept(workspaceId)));
                })
                .eventually(() -> ContextLocals.remove(CUSTODY_CHANGED));
    }

    /**
     * Records that the current transaction changes custody in the workspace: once it commits, every
     * {@link #afterCommit} listener hears of it, on this replica (routing uses freed capacity and new
     * waiting chats at once). Outside {@link #transaction} it does nothing; routing's sweep covers that.
     */
    public void custodyChanged(UUID workspaceId) {
        if (VertxContext.isOnDuplicatedContext()) {
            ContextLocals.<Set<UUID>> get(CUSTODY_CHANGED).ifPresent(changed -> changed.add(workspaceId));
        }
    }

    /** Registers a listener for committed custody changes (see {@link #custodyChanged}); it must not block. */
    public void afterCommit(Consumer<UUID> listener) {
        custodyListeners.add(listener);
    }

    /** Stores the deliveries of one write as one event row. */
    public Uni<Void> publish(Source source, List<Delivery> deliveries) {
        return SessionSql.update(INSERT, source.workspaceId(), source.chatId(), stored(source, deliveries)).replaceWithVoid();
    }

    /**
     * Data-modifying statements using {@code params} placeholders ({@code $1..$n}) between them, and the
     * event row after them, as one statement for {@link #publishWith}: composed once per caller's constant.
     */
    public static String withEvent(int params, String... writes) {
        StringBuilder sql = new StringBuilder("with ");
        for (int i = 0; i < writes.length; i++) {
            sql.append(i == 0 ? "" : ", ").append('w').append(i).append(" as (").append(writes[i]).append(')');
        }
        return sql.append(' ').append(eventInsert(params)).toString();
    }

    /** The event row's insert, its placeholders after the first {@code params}. */
    private static String eventInsert(int params) {
        return "insert into event (workspace_id, chat_id, deliveries) values ($" + (params + 1) + ", $" + (params + 2) + ", $" + (params + 3) + ")";
    }

    /**
     * Runs {@code sql} (from {@link #withEvent}) with the write's {@code params} and stores the
     * deliveries as its event row: the timeline entry and its event cost one round trip (see common.SessionSql).
     */
    public Uni<Void> publishWith(String sql, Object[] params, Source source, List<Delivery> deliveries) {
        int n = params.length;
        Object[] all = Arrays.copyOf(params, n + 3);
        all[n] = source.workspaceId();
        all[n + 1] = source.chatId();
        all[n + 2] = stored(source, deliveries);
        return SessionSql.update(sql, all).replaceWithVoid();
    }

    private String stored(Source source, List<Delivery> deliveries) {
        List<StoredDelivery> stored = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            String frame = d.event() == null ? null
                    : serialise(new Envelope(d.event().type(), source.workspaceId(), source.chatId(), source.seq(), source.at(),
                            source.performer(), d.event()));
            stored.add(new StoredDelivery(d.audience(), d.agentId(), frame));
        }
        return StoredDelivery.encode(stored);
    }

    /** Closes the agent's sockets on every instance once the transaction commits. */
    public Uni<Void> disconnect(UUID workspaceId, UUID agentId) {
        return publish(new Source(workspaceId, null, null, null, null), List.of(new Delivery(Audience.CONTROL, agentId, null)));
    }

    private String serialise(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event not serialisable", e);
        }
    }
}
