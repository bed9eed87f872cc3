package dev.baton.whatsapp;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.chat.Chat;
import dev.baton.realtime.Audience;
import dev.baton.realtime.Outbox;
import dev.baton.realtime.Outbox.Delivery;
import dev.baton.timeline.DeliveryStatus;
import dev.baton.timeline.TimelineEntry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * Moves an OUTBOUND entry's delivery forward (send answers and status webhooks alike) and tells the
 * holder and the chat's monitors with {@code message.status}. Under the chat's row lock, like every
 * write of a chat, so the event's audience is the holder at commit and its order is the chat's.
 */
@ApplicationScoped
public class Deliveries {

    private final Outbox outbox;
    private final ObjectMapper json;

    public Deliveries(Outbox outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    /** Records the change if it moves the delivery forward; returns whether it did. Needs a transaction. */
    public Uni<Boolean> advance(UUID chatId, long seq, DeliveryStatus next, Map<String, Object> error) {
        return Chat.<Chat>findById(chatId, LockModeType.PESSIMISTIC_WRITE).chain(chat -> TimelineEntry
                .<TimelineEntry>findById(key(chatId, seq)).chain(entry -> {
                    if (chat == null || entry == null || entry.deliveryStatus == null || !entry.deliveryStatus.advancesTo(next)) {
                        return Uni.createFrom().item(false);
                    }
                    entry.deliveryStatus = next;
                    entry.deliveryError = next == DeliveryStatus.FAILED && error != null ? write(error) : null;
                    MessageStatus changed = new MessageStatus(seq, next, entry.deliveryError != null ? error : null);
                    return outbox.publish(new Outbox.Source(chat.workspaceId, chat.id, seq, OffsetDateTime.now(ZoneOffset.UTC), null),
                            List.of(new Delivery(Audience.MONITORS, chat.holderId, changed))).replaceWith(true);
                }));
    }

    /** An owner replays a FAILED send: the entry is on its way again (PENDING), told like any status change. Needs a transaction. */
    Uni<Void> resend(Chat chat, long seq) {
        return TimelineEntry.<TimelineEntry>findById(key(chat.id, seq)).chain(entry -> {
            entry.deliveryStatus = DeliveryStatus.PENDING;
            entry.deliveryError = null;
            return outbox.publish(new Outbox.Source(chat.workspaceId, chat.id, seq, OffsetDateTime.now(ZoneOffset.UTC), null),
                    List.of(new Delivery(Audience.MONITORS, chat.holderId, new MessageStatus(seq, DeliveryStatus.PENDING, null))));
        });
    }

    /** A status webhook: found by wamid, or by the callback data when the send's answer was lost (then the wamid is learnt). */
    public Uni<Boolean> status(UUID workspaceId, InboundMapping.Status status) {
        return outbox.transaction(() -> ChannelSend.<ChannelSend>find("wamid", status.wamid()).firstResult()
                .chain(send -> send != null ? Uni.createFrom().item(send) : reconcile(workspaceId, status))
                .chain(send -> {
                    if (send == null || !send.workspaceId.equals(workspaceId)) {
                        return Uni.createFrom().item(false);
                    }
                    if (send.status.equals(ChannelSend.SENDING) || send.status.equals(ChannelSend.PENDING)) {
                        send.status = ChannelSend.SENT;
                        send.sentAt = OffsetDateTime.now(ZoneOffset.UTC);
                        send.leaseUntil = null;
                    }
                    return advance(send.chatId, send.seq, status.status(), status.error());
                }));
    }

    private static Uni<ChannelSend> reconcile(UUID workspaceId, InboundMapping.Status status) {
        ChannelSend.Key key = ChannelSend.Key.ofCallbackData(status.callbackData());
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        // Not locked here: the chat's lock (taken next, in advance) orders this with the sender's own write.
        return ChannelSend.<ChannelSend>findById(key).invoke(send -> {
            if (send != null && send.workspaceId.equals(workspaceId) && send.wamid == null) {
                send.wamid = status.wamid();
            }
        });
    }

    private static TimelineEntry.Key key(UUID chatId, long seq) {
        TimelineEntry.Key key = new TimelineEntry.Key();
        key.chatId = chatId;
        key.seq = seq;
        return key;
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
