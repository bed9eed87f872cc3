package dev.baton.chat;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.engine.spi.SelfDirtinessTracker;

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

    /** The columns an update may write, by attribute name, each with how its value is sent (enums by name). */
    private static final Map<String, Writable> WRITABLE = Map.ofEntries(
            Map.entry("customerPhone", new Writable("customer_phone", c -> c.customerPhone)),
            Map.entry("customerName", new Writable("customer_name", c -> c.customerName)),
            Map.entry("customerKey", new Writable("customer_key", c -> c.customerKey)),
            Map.entry("channelId", new Writable("channel_id", c -> c.channelId)),
            Map.entry("windowExpiresAt", new Writable("window_expires_at", c -> c.windowExpiresAt)),
            Map.entry("status", new Writable("status", c -> c.status == null ? null : c.status.name())),
            Map.entry("holderId", new Writable("holder_id", c -> c.holderId)),
            Map.entry("holderUsername", new Writable("holder_username", c -> c.holderUsername)),
            Map.entry("version", new Writable("version", c -> c.version)),
            Map.entry("lastSeq", new Writable("last_seq", c -> c.lastSeq)),
            Map.entry("lastMessageAt", new Writable("last_message_at", c -> c.lastMessageAt)),
            Map.entry("activityAt", new Writable("activity_at", c -> c.activityAt)),
            Map.entry("teamId", new Writable("team_id", c -> c.teamId)),
            Map.entry("queuedAt", new Writable("queued_at", c -> c.queuedAt)),
            Map.entry("offerPending", new Writable("offer_pending", c -> c.offerPending)));

    private record Writable(String column, Function<Chat, Object> value) {
    }

    /**
     * What changed on this chat since it was loaded or last written: the {@code columns} (sorted, so
     * equal sets give equal statements) and their {@code values}, in order. Null when the change
     * cannot be written natively (the entity is not enhanced, or an attribute has no column here):
     * Hibernate's flush then writes it as usual.
     */
    public record Changes(List<String> columns, List<Object> values) {
    }

    /** This chat's pending changes for a native update, or null (see {@link Changes}); the caller holds the row lock. */
    public Changes changes() {
        if (!(((Object) this) instanceof SelfDirtinessTracker tracker)) {
            return null;
        }
        String[] dirty = tracker.$$_hibernate_getDirtyAttributes();
        if (dirty.length == 0) {
            return null;
        }
        Arrays.sort(dirty);
        List<String> columns = new ArrayList<>(dirty.length);
        List<Object> values = new ArrayList<>(dirty.length);
        for (String attribute : dirty) {
            Writable w = WRITABLE.get(attribute);
            if (w == null) {
                return null;
            }
            columns.add(w.column());
            values.add(w.value().apply(this));
        }
        return new Changes(columns, values);
    }

    /** The {@link #changes()} were written by a native statement in this transaction: the tracker starts again from here. */
    public void changesWritten() {
        ((SelfDirtinessTracker) (Object) this).$$_hibernate_clearDirtyAttributes();
    }

    /** Hands out the next timeline seq; the caller holds the row lock. */
    public long nextSeq(OffsetDateTime at) {
        activityAt = at;
        return ++lastSeq;
    }
}
