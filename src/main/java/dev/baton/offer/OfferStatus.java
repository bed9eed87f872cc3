package dev.baton.offer;

/** An offer waits (PENDING) until exactly one outcome ends it. */
public enum OfferStatus {
    PENDING, ACCEPTED, DECLINED, EXPIRED, CANCELLED
}
