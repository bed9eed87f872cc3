package dev.baton.chat;

/**
 * Every change of custody the ledger records: the requestable {@link CustodyAction}s, and those the
 * system applies — HANDOFF (the customer's channel asked for a human: OPEN to REQUESTING), REOPEN
 * with no actor (a customer message on a RESOLVED chat) and DEACTIVATE (the holder was deactivated,
 * the chat goes back to the queue).
 */
public enum CustodyChange {
    INTERVENE, TAKEOVER, TRANSFER, RELEASE, RESOLVE, REOPEN, DEACTIVATE, HANDOFF,
    /** Routing gave a waiting chat to an eligible agent (no actor; the entry's reason names the mode). */
    ASSIGN,
    /** The holder did not reply in time: the chat went back to the queue (no actor; reason NO_REPLY). */
    REQUEUE
}
