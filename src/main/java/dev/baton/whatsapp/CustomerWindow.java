package dev.baton.whatsapp;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * WhatsApp's customer-service window: free-form replies are allowed for 24 hours after the
 * customer's latest message, timed by Meta's timestamp (not arrival: Meta retries deliveries for
 * days, and a late delivery must not reopen the window).
 */
public final class CustomerWindow {

    static final Duration LENGTH = Duration.ofHours(24);

    private CustomerWindow() {
    }

    /** The window after a customer message sent at {@code at}: it only ever moves later. */
    public static OffsetDateTime extend(OffsetDateTime current, OffsetDateTime at) {
        OffsetDateTime candidate = at.plus(LENGTH);
        return current == null || candidate.isAfter(current) ? candidate : current;
    }

    public static boolean open(OffsetDateTime expiresAt, OffsetDateTime now) {
        return expiresAt != null && now.isBefore(expiresAt);
    }
}
