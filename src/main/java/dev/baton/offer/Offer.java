package dev.baton.offer;

import java.time.OffsetDateTime;
import java.util.UUID;

import dev.baton.agent.Agent;
import dev.baton.chat.Chat;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A chat offered to an agent (warm transfer). Changed only under its chat's row lock, like custody
 * itself; {@code expiresAt} is its durable timer. Usernames are copied in, as in the ledger.
 */
@Entity
@Table(name = "chat_offer")
public class Offer extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    @Column(name = "chat_id")
    public UUID chatId;
    @Column(name = "from_agent_id")
    public UUID fromAgentId;
    @Column(name = "from_username")
    public String fromUsername;
    @Column(name = "to_agent_id")
    public UUID toAgentId;
    @Column(name = "to_username")
    public String toUsername;
    @Column(columnDefinition = "text")
    public String note;
    @Enumerated(EnumType.STRING)
    public OfferStatus status;
    /** Why it ended: the decline's reason, or the custody change that cancelled it. */
    @Column(columnDefinition = "text")
    public String reason;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;
    @Column(name = "ended_at")
    public OffsetDateTime endedAt;
    /** Who ended it; null for an expiry. */
    @Column(name = "ended_by")
    public UUID endedBy;

    static Offer of(Chat chat, Agent from, Agent to, String note, OffsetDateTime at, OffsetDateTime expiresAt) {
        Offer offer = new Offer();
        offer.id = UUID.randomUUID();
        offer.workspaceId = chat.workspaceId;
        offer.chatId = chat.id;
        offer.fromAgentId = from.id;
        offer.fromUsername = from.username;
        offer.toAgentId = to.id;
        offer.toUsername = to.username;
        offer.note = note;
        offer.status = OfferStatus.PENDING;
        offer.createdAt = at;
        offer.expiresAt = expiresAt;
        return offer;
    }

    /** Ends the offer; {@code chat} is its chat, locked by the caller. */
    void end(Chat chat, OfferStatus outcome, Agent by, String why, OffsetDateTime at) {
        chat.offerPending = false;
        status = outcome;
        endedBy = by == null ? null : by.id;
        reason = why;
        endedAt = at;
    }
}
