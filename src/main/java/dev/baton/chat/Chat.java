package dev.baton.chat;

import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import org.hibernate.annotations.DynamicUpdate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

/**
 * One conversation with one customer. {@code version} counts custody changes; {@code lastSeq} is
 * the last timeline seq handed out, always under this row's lock, so seqs are gap-free.
 */
// Only the changed columns are written: a custody change touches five of the row's twenty.
@DynamicUpdate
@Entity
public class Chat extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    @Column(name = "customer_phone")
    public String customerPhone;
    @Column(name = "customer_name")
    public String customerName;
    /** A channel's customer key (Meta's business-scoped user id, else the phone); null for chats of the generic API channel. */
    @Column(name = "customer_key")
    public String customerKey;
    /** The channel replies go out on: the one the customer's latest channel message came in on; null = none. */
    @Column(name = "channel_id")
    public UUID channelId;
    /** The customer-service window: free-text replies over the channel are allowed until then. */
    @Column(name = "window_expires_at")
    public OffsetDateTime windowExpiresAt;
    @Enumerated(EnumType.STRING)
    public ChatStatus status;
    @Column(name = "holder_id")
    public UUID holderId;
    /** The holder's username when it took the chat, kept for the custody ledger's "from". */
    @Column(name = "holder_username")
    public String holderUsername;
    public long version;
    @Column(name = "last_seq")
    public long lastSeq;
    @Column(name = "last_message_at")
    public OffsetDateTime lastMessageAt;
    @Column(name = "activity_at")
    public OffsetDateTime activityAt;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    /** The team whose queue the chat waits in; null = any agent may take it. */
    @Column(name = "team_id")
    public UUID teamId;
    /** When the chat last entered REQUESTING: the queue is served oldest first. */
    @Column(name = "queued_at")
    public OffsetDateTime queuedAt;
    /**
     * Whether a warm-transfer offer for the chat is PENDING (set and cleared by offer/ under this row's
     * lock), so a custody change learns it from the row it holds.
     */
    @Column(name = "offer_pending")
    public boolean offerPending;

    /**
     * The mapped columns, qualified by {@code alias}, for native selects of whole chats: a cached
     * prepared statement must not select {@code *} (a column added by a migration would change its
     * result type under the running instances).
     */
    public static String columns(String alias) {
        return Stream.of("id", "workspace_id", "customer_phone", "customer_name", "customer_key", "channel_id", "window_expires_at", "status",
                "holder_id", "holder_username", "version", "last_seq", "last_message_at", "activity_at", "created_at", "team_id", "queued_at",
                "offer_pending").map(c -> alias + "." + c).collect(Collectors.joining(", "));
    }

    /** Hands out the next timeline seq; the caller holds the row lock. */
    public long nextSeq(OffsetDateTime at) {
        activityAt = at;
        return ++lastSeq;
    }
}
