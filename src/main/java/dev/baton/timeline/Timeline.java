package dev.baton.timeline;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.baton.chat.Chat;
import dev.baton.realtime.Audience;
import dev.baton.realtime.Outbox;
import dev.baton.realtime.Outbox.Delivery;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Appends entries to a chat's timeline. The caller holds the chat's row lock, which makes seq
 * gap-free and orders the chat's events.
 */
@ApplicationScoped
public class Timeline {

    private final Outbox outbox;

    public Timeline(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Gives the entry the chat's next seq and its time, and writes it, the event row of its
     * {@code deliveries} (built from the appended entry) and the chat's changed columns in one
     * statement. The entry is not an entity of the session afterwards (see common.SessionSql); the
     * chat stays one, and what changes on it later in the transaction is flushed as usual.
     */
    public Uni<TimelineEntry> append(Chat chat, TimelineEntry entry, Function<TimelineEntry, List<Delivery>> deliveries) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        entry.chatId = chat.id;
        entry.workspaceId = chat.workspaceId;
        entry.seq = chat.nextSeq(now);
        if (entry.createdAt == null) {
            entry.createdAt = now;
        }
        if (entry.kind == EntryKind.INBOUND || entry.kind == EntryKind.OUTBOUND) {
            chat.lastMessageAt = now;
        }
        Chat.Changes changes = chat.changes();
        if (changes == null) {
            return outbox.publishWith(INSERT_WITH_EVENT, columns(entry), entry.eventSource(), deliveries.apply(entry)).replaceWith(entry);
        }
        // The chat's update rides in the same statement: one round trip, and no flush of the chat at commit.
        Object[] params = Arrays.copyOf(columns(entry), ENTRY_PARAMS + changes.values().size() + 1);
        for (int i = 0; i < changes.values().size(); i++) {
            params[ENTRY_PARAMS + i] = changes.values().get(i);
        }
        params[params.length - 1] = chat.id;
        String sql = WITH_CHAT_UPDATE.computeIfAbsent(changes.columns(), Timeline::withChatUpdate);
        return outbox.publishWith(sql, params, entry.eventSource(), deliveries.apply(entry))
                .call(() -> Panache.getSession().invoke(session -> written(session, chat))).replaceWith(entry);
    }

    /** Appends and publishes {@code message.created} to the holder (if any) and the chat's monitors. */
    public Uni<TimelineEntry> appendAndPublish(Chat chat, TimelineEntry entry) {
        return append(chat, entry, saved -> List.of(new Delivery(Audience.MONITORS, chat.holderId, new MessageCreated(EntryView.of(saved)))));
    }

    /**
     * The chat's changes are in the database: Hibernate must take its present state as the state it
     * loaded, for both of its dirty checks (the enhanced entity's tracker and the loaded-state snapshot,
     * which a read-only round trip retakes), so its flush writes only what changes later.
     */
    private static void written(Mutiny.Session session, Chat chat) {
        chat.changesWritten();
        session.setReadOnly(chat, true);
        session.setReadOnly(chat, false);
    }

    /** Statements by the set of chat columns they update: a handful of sets occur (custody, message, inbound). */
    private static final Map<List<String>, String> WITH_CHAT_UPDATE = new ConcurrentHashMap<>();

    /** The chat's update as one more data-modifying part of the entry + event statement; its placeholders follow the entry's. */
    private static String withChatUpdate(List<String> columns) {
        StringBuilder update = new StringBuilder("update chat set ");
        for (int i = 0; i < columns.size(); i++) {
            update.append(i == 0 ? "" : ", ").append(columns.get(i)).append(" = $").append(ENTRY_PARAMS + 1 + i);
        }
        update.append(" where id = $").append(ENTRY_PARAMS + 1 + columns.size());
        return Outbox.withEvent(ENTRY_PARAMS + columns.size() + 1, INSERT, update.toString());
    }

    private static final String INSERT = "insert into timeline_entry (chat_id, seq, workspace_id, kind, author_id, author_username, text, "
            + "client_message_id, external_id, custody_action, from_agent_id, from_username, to_agent_id, to_username, offer_id, reason, "
            + "content, reply_to, delivery_status, delivery_error, created_at) "
            + "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)";
    /** The placeholders of {@link #INSERT}, one per value of {@link #columns}. */
    private static final int ENTRY_PARAMS = 21;
    private static final String INSERT_WITH_EVENT = Outbox.withEvent(ENTRY_PARAMS, INSERT);

    private static Object[] columns(TimelineEntry e) {
        return new Object[] { e.chatId, e.seq, e.workspaceId, e.kind.name(), e.authorId, e.authorUsername, e.text, e.clientMessageId,
                e.externalId, e.custodyAction == null ? null : e.custodyAction.name(), e.fromAgentId, e.fromUsername, e.toAgentId,
                e.toUsername, e.offerId, e.reason, e.content, e.replyTo, e.deliveryStatus == null ? null : e.deliveryStatus.name(),
                e.deliveryError, e.createdAt };
    }
}
