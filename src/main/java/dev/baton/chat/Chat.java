package dev.baton.chat;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.baton.common.NativeSelects;
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

    /** The columns an update may write, by attribute name, each with how its value is sent (enums by name); in column order. */
    private static final Map<String, Writable> WRITABLE = writable(
            new Writable("customerPhone", "customer_phone", c -> c.customerPhone),
            new Writable("customerName", "customer_name", c -> c.customerName),
            new Writable("customerKey", "customer_key", c -> c.customerKey),
            new Writable("channelId", "channel_id", c -> c.channelId),
            new Writable("windowExpiresAt", "window_expires_at", c -> c.windowExpiresAt),
            new Writable("status", "status", c -> c.status == null ? null : c.status.name()),
            new Writable("holderId", "holder_id", c -> c.holderId),
            new Writable("holderUsername", "holder_username", c -> c.holderUsername),
            new Writable("version", "version", c -> c.version),
            new Writable("lastSeq", "last_seq", c -> c.lastSeq),
            new Writable("lastMessageAt", "last_message_at", c -> c.lastMessageAt),
            new Writable("activityAt", "activity_at", c -> c.activityAt),
            new Writable("teamId", "team_id", c -> c.teamId),
            new Writable("queuedAt", "queued_at", c -> c.queuedAt),
            new Writable("offerPending", "offer_pending", c -> c.offerPending));

    /** Every mapped column: the key and the columns no write changes, then the writable ones. */
    private static final List<String> COLUMNS = Stream.concat(Stream.of("id", "workspace_id", "created_at"),
            WRITABLE.values().stream().map(Writable::column)).toList();

    /** The mapped columns, qualified by {@code alias}, for native selects of whole chats (see common.NativeSelects#columns). */
    public static String columns(String alias) {
        return NativeSelects.columns(alias, COLUMNS);
    }

    private record Writable(String attribute, String column, Function<Chat, Object> value) {
    }

    private static Map<String, Writable> writable(Writable... columns) {
        Map<String, Writable> byAttribute = new LinkedHashMap<>();
        for (Writable w : columns) {
            byAttribute.put(w.attribute(), w);
        }
        return byAttribute;
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
