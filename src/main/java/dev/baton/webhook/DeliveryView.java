package dev.baton.webhook;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** One delivery in the log: its message, where its attempts stand and how the last one went. */
public record DeliveryView(UUID id, String messageId, String eventType, String status, int attempts, OffsetDateTime nextAttemptAt,
        OffsetDateTime lastAttemptAt, Integer responseStatus, String lastError, OffsetDateTime createdAt, OffsetDateTime deliveredAt) {

    static DeliveryView of(WebhookDelivery d) {
        return new DeliveryView(d.id, d.messageId, d.eventType, d.status, d.attempts,
                WebhookDelivery.PENDING.equals(d.status) ? d.dueAt : null, d.lastAttemptAt, d.responseStatus, d.lastError, d.createdAt,
                d.deliveredAt);
    }

    /** A page of the log, newest first; pass {@code nextCursor} back as {@code cursor} for the next page. */
    public record Page(List<DeliveryView> items, String nextCursor) {
    }
}
