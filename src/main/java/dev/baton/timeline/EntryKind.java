package dev.baton.timeline;

public enum EntryKind {
    /** From the customer. */
    INBOUND,
    /** A staff reply sent to the customer. */
    OUTBOUND,
    /** A private note, never sent to the customer. */
    NOTE,
    /** A custody change: who moved the chat from whom to whom, and why. */
    CUSTODY
}
