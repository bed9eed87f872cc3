package dev.baton.whatsapp;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import dev.baton.chat.Chat;
import dev.baton.problem.ApiException;
import dev.baton.timeline.DeliveryStatus;
import dev.baton.timeline.OutboundChannel;
import dev.baton.timeline.TimelineEntry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Replies on a chat with a WhatsApp channel: refused after the 24-hour window unless a template;
 * otherwise marked PENDING and queued ({@link ChannelSend}) in the reply's own transaction.
 */
@ApplicationScoped
public class WhatsAppOutbound implements OutboundChannel {

    private final Sender sender;

    public WhatsAppOutbound(Sender sender) {
        this.sender = sender;
    }

    @Override
    public void check(Chat chat, TimelineEntry entry, boolean template) {
        if (chat.channelId == null) {
            if (template) {
                throw ApiException.invalid("template: templates are sent only on a chat with a WhatsApp channel");
            }
            return;
        }
        if (!template && !CustomerWindow.open(chat.windowExpiresAt, OffsetDateTime.now(ZoneOffset.UTC))) {
            throw ApiException.conflict("window-closed", "The customer last wrote more than 24 hours ago (window closed at "
                    + chat.windowExpiresAt + "): WhatsApp accepts only a template now.");
        }
        entry.deliveryStatus = DeliveryStatus.PENDING;
    }

    @Override
    public Uni<Void> enqueue(Chat chat, TimelineEntry entry) {
        if (entry.deliveryStatus != DeliveryStatus.PENDING) {
            return Uni.createFrom().voidItem();
        }
        ChannelSend send = new ChannelSend();
        send.chatId = entry.chatId;
        send.seq = entry.seq;
        send.workspaceId = chat.workspaceId;
        send.channelId = chat.channelId;
        send.status = ChannelSend.PENDING;
        send.nextAttemptAt = entry.createdAt;
        send.createdAt = entry.createdAt;
        return send.persist().replaceWithVoid();
    }

    @Override
    public void committed() {
        sender.wake();
    }
}
