package dev.baton.timeline;

/**
 * Where an OUTBOUND entry is on its way to the customer. Changes only move forward
 * (PENDING → SENT → DELIVERED → READ): statuses arrive duplicated and in any order, and a late
 * {@code delivered} must never lower {@code read}. FAILED ends the way unless the customer
 * demonstrably read the message (a later {@code read} wins, as Meta documents).
 */
public enum DeliveryStatus {
    PENDING, SENT, DELIVERED, READ, FAILED;

    /** Whether moving from this status to {@code next} is a change to record and announce. */
    public boolean advancesTo(DeliveryStatus next) {
        if (this == next) {
            return false;
        }
        if (this == FAILED) {
            return next == READ;
        }
        if (next == FAILED) {
            return this != READ;
        }
        return next.ordinal() > ordinal();
    }
}
