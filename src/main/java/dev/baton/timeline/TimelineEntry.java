package dev.baton.timeline;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

import dev.baton.agent.Agent;
import dev.baton.chat.CustodyChange;
import dev.baton.realtime.Envelope.Performer;
import dev.baton.realtime.Outbox;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * One entry of a chat's timeline. Usernames are copied in at write time: the ledger records who
 * acted as they were known then.
 */
@Entity
@Table(name = "timeline_entry")
@IdClass(TimelineEntry.Key.class)
public class TimelineEntry extends PanacheEntityBase {

    @Id
    @Column(name = "chat_id")
    public UUID chatId;
    @Id
    public long seq;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    @Enumerated(EnumType.STRING)
    public EntryKind kind;
    @Column(name = "author_id")
    public UUID authorId;
    @Column(name = "author_username")
    public String authorUsername;
    @Column(columnDefinition = "text")
    public String text;
    @Column(name = "client_message_id")
    public String clientMessageId;
    @Column(name = "external_id")
    public String externalId;
    @Enumerated(EnumType.STRING)
    @Column(name = "custody_action")
    public CustodyChange custodyAction;
    @Column(name = "from_agent_id")
    public UUID fromAgentId;
    @Column(name = "from_username")
    public String fromUsername;
    @Column(name = "to_agent_id")
    public UUID toAgentId;
    @Column(name = "to_username")
    public String toUsername;
    /** A TRANSFER made by accepting an offer: that offer. */
    @Column(name = "offer_id")
    public UUID offerId;
    /** Why the system made a custody change without an actor (ASSIGN, REQUEUE); null otherwise. */
    public String reason;
    /** Structured parts as a JSON object: media, reply, location, contacts, reaction, template, unsupported. */
    @Column(columnDefinition = "text")
    public String content;
    /** The wamid of the message a customer message answers (Meta's context.id). */
    @Column(name = "reply_to")
    public String replyTo;
    @Enumerated(EnumType.STRING)
    @Column(name = "delivery_status")
    public DeliveryStatus deliveryStatus;
    /** A FAILED delivery's {code, title, detail} as JSON. */
    @Column(name = "delivery_error", columnDefinition = "text")
    public String deliveryError;
    /** When it happened: the write time, or for a customer message the time its channel reports. */
    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    /** A new entry, not yet appended: {@link Timeline#append} gives it its chat, seq and time. */
    public static TimelineEntry of(EntryKind kind, Agent author, String text) {
        TimelineEntry entry = new TimelineEntry();
        entry.kind = kind;
        if (author != null) {
            entry.authorId = author.id;
            entry.authorUsername = author.username;
        }
        entry.text = text;
        return entry;
    }

    /** Who the entry's events name as performer: its author, or nobody for the customer. */
    public Performer performer() {
        return authorId == null ? null : new Performer(authorId, authorUsername);
    }

    /** What every event of this (appended) entry shares: its chat, seq, time and performer. */
    public Outbox.Source eventSource() {
        return new Outbox.Source(workspaceId, chatId, seq, createdAt, performer());
    }

    public static class Key implements Serializable {
        public UUID chatId;
        public long seq;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.seq == seq && Objects.equals(k.chatId, chatId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(chatId, seq);
        }
    }
}
