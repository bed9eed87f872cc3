package dev.baton.webhook;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again. {@code steps.get(i)} is the wait before attempt i + 1
 * (step 0 is "immediately", the first attempt), so there are {@code steps.size()} attempts in all.
 * Each wait is spread by ±20 % so that the retries of a burst that failed together (a receiver
 * that was down) do not arrive together; a {@code Retry-After} longer than the wait wins, capped at
 * {@link #MAX_RETRY_AFTER} so a receiver cannot park a delivery for ever.
 */
record RetrySchedule(List<Duration> steps) {

    static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

    int attempts() {
        return steps.size();
    }

    /** The wait after failed attempt {@code attempt} (1-based), or null when it was the last one. */
    Duration after(int attempt, Duration retryAfter, DoubleSupplier random) {
        if (attempt >= steps.size()) {
            return null;
        }
        long base = steps.get(attempt).toMillis();
        long jittered = Math.round(base * (0.8 + 0.4 * random.getAsDouble()));
        Duration wait = Duration.ofMillis(jittered);
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        }
        return wait;
    }

    /** {@code Retry-After}: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
    static Duration retryAfter(String header, OffsetDateTime now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
