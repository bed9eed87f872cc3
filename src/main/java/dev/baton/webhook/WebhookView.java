package dev.baton.webhook;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An endpoint as the API shows it. {@code secret} only in the answers to create and rotate-secret
 * (it is never shown again); {@code previousSecretUntil} while a rotation's old secret still signs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookView(UUID id, String url, List<String> events, String description, boolean active, String disabledReason,
        String secret, OffsetDateTime previousSecretUntil, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    static WebhookView of(WebhookEndpoint e, String secret) {
        OffsetDateTime now = OffsetDateTime.now();
        return new WebhookView(e.id, e.url, e.eventList(), e.description, e.active, e.disabledReason, secret,
                e.previousSecretUntil != null && e.previousSecretUntil.isAfter(now) ? e.previousSecretUntil : null, e.createdAt,
                e.updatedAt);
    }
}
