package dev.baton.whatsapp;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * The send job of one OUTBOUND entry on a WhatsApp chat, written in the reply's transaction: the
 * channel sender's own durable progress. Claimed by any replica with {@code FOR UPDATE SKIP LOCKED}.
 */
@Entity
@Table(name = "channel_send")
@IdClass(ChannelSend.Key.class)
public class ChannelSend extends PanacheEntityBase {

    public static final String PENDING = "PENDING";
    public static final String SENDING = "SENDING";
    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";

    @Id
    @Column(name = "chat_id")
    public UUID chatId;
    @Id
    public long seq;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    @Column(name = "channel_id")
    public UUID channelId;
    public String status;
    public int attempts;
    @Column(name = "next_attempt_at")
    public OffsetDateTime nextAttemptAt;
    @Column(name = "lease_until")
    public OffsetDateTime leaseUntil;
    public String wamid;
    @Column(name = "last_error", columnDefinition = "text")
    public String lastError;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "sent_at")
    public OffsetDateTime sentAt;

    /** What Baton sends as {@code biz_opaque_callback_data}: the entry's identity, echoed in every status of the message. */
    public static String callbackData(UUID chatId, long seq) {
        return chatId + ":" + seq;
    }

    public static class Key implements Serializable {
        public UUID chatId;
        public long seq;

        public Key() {
        }

        public Key(UUID chatId, long seq) {
            this.chatId = chatId;
            this.seq = seq;
        }

        /** The key named by {@link #callbackData}, or null for anything else. */
        static Key ofCallbackData(String data) {
            if (data == null || data.length() < 38 || data.charAt(36) != ':') {
                return null;
            }
            try {
                return new Key(UUID.fromString(data.substring(0, 36)), Long.parseLong(data.substring(37)));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

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
