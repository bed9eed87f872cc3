package dev.baton.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The retry schedule of PRODUCT.md: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, with jitter and Retry-After. */
class RetryScheduleTests {

    private static final RetrySchedule PRODUCT = new RetrySchedule(List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)));

    @Test
    void shouldWaitEachStepSpreadByTwentyPercentAndStopAfterTheLast() {
        assertEquals(8, PRODUCT.attempts());
        assertEquals(Duration.ofSeconds(4), PRODUCT.after(1, null, () -> 0.0));
        assertEquals(Duration.ofSeconds(6), PRODUCT.after(1, null, () -> 1.0));
        assertEquals(Duration.ofMinutes(5), PRODUCT.after(2, null, () -> 0.5));
        assertEquals(Duration.ofHours(10), PRODUCT.after(7, null, () -> 0.5));
        assertNull(PRODUCT.after(8, null, () -> 0.5), "the eighth failure is the last: FAILED");
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt < 8; attempt++) {
            total = total.plus(PRODUCT.after(attempt, null, () -> 0.5));
        }
        assertEquals(Duration.parse("PT27H35M5S"), total);
    }

    @Test
    void shouldHonourALongerRetryAfterCappedAtADay() {
        assertEquals(Duration.ofSeconds(120), PRODUCT.after(1, Duration.ofSeconds(120), () -> 0.5));
        assertEquals(Duration.ofMinutes(5), PRODUCT.after(2, Duration.ofSeconds(10), () -> 0.5), "a shorter one does not hurry the schedule");
        assertEquals(RetrySchedule.MAX_RETRY_AFTER, PRODUCT.after(1, Duration.ofDays(30), () -> 0.5));
    }

    @Test
    void shouldReadRetryAfterAsSecondsOrAnHttpDate() {
        OffsetDateTime now = OffsetDateTime.of(2026, 12, 1, 12, 0, 0, 0, ZoneOffset.UTC);
        assertEquals(Duration.ofSeconds(7), RetrySchedule.retryAfter(" 7 ", now));
        assertEquals(Duration.ofSeconds(90), RetrySchedule.retryAfter("Tue, 01 Dec 2026 12:01:30 GMT", now));
        assertEquals(Duration.ZERO, RetrySchedule.retryAfter("Tue, 01 Dec 2026 11:00:00 GMT", now));
        assertNull(RetrySchedule.retryAfter("soon", now));
        assertNull(RetrySchedule.retryAfter(null, now));
    }
}
