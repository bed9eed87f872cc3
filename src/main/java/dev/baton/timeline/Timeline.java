package dev.baton.timeline;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

import dev.baton.chat.Chat;
import dev.baton.realtime.Audience;
import dev.baton.realtime.Outbox;
import dev.baton.realtime.Outbox.Delivery;
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
     * Gives the entry the chat's next seq and its time, and writes it with the event row of its
     * {@code deliveries} (built from the appended entry) in one statement. The entry is not an entity
     * of the session afterwards (see common.SessionSql).
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
        return outbox.publishWith(INSERT_WITH_EVENT, columns(entry), entry.eventSource(), deliveries.apply(entry)).replaceWith(entry);
    }

    /** Appends and publishes {@code message.created} to the holder (if any) and the chat's monitors. */
    public Uni<TimelineEntry> appendAndPublish(Chat chat, TimelineEntry entry) {
        return append(chat, entry, saved -> List.of(new Delivery(Audience.MONITORS, chat.holderId, new MessageCreated(EntryView.of(saved)))));
    }

    private static final String INSERT = "insert into timeline_entry (chat_id, seq, workspace_id, kind, author_id, author_username, text, "
            + "client_message_id, external_id, custody_action, from_agent_id, from_username, to_agent_id, to_username, offer_id, reason, "
            + "content, reply_to, delivery_status, delivery_error, created_at) "
            + "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)";
    private static final String INSERT_WITH_EVENT = Outbox.withEvent(INSERT, 21);

    private static Object[] columns(TimelineEntry e) {
        return new Object[] { e.chatId, e.seq, e.workspaceId, e.kind.name(), e.authorId, e.authorUsername, e.text, e.clientMessageId,
                e.externalId, e.custodyAction == null ? null : e.custodyAction.name(), e.fromAgentId, e.fromUsername, e.toAgentId,
                e.toUsername, e.offerId, e.reason, e.content, e.replyTo, e.deliveryStatus == null ? null : e.deliveryStatus.name(),
                e.deliveryError, e.createdAt };
    }
}
