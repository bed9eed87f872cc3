package dev.baton.timeline;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

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

    /** Persists the entry with the chat's next seq; returns it without publishing anything. */
    public Uni<TimelineEntry> append(Chat chat, TimelineEntry entry) {
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
        return entry.persist().replaceWith(entry);
    }

    /** Appends and publishes {@code message.created} to the holder (if any) and the chat's monitors. */
    public Uni<TimelineEntry> appendAndPublish(Chat chat, TimelineEntry entry) {
        return append(chat, entry).call(saved -> outbox.publish(saved.eventSource(),
                List.of(new Delivery(Audience.MONITORS, chat.holderId, new MessageCreated(EntryView.of(saved))))));
    }
}
