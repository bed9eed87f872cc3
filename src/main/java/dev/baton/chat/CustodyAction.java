package dev.baton.chat;

/**
 * The custody transitions of PRODUCT.md, plus two the system applies: DEACTIVATE (the holder was
 * deactivated, the chat goes back to the queue) and HANDOFF (the customer's channel asked for a
 * human: OPEN to REQUESTING). A customer message on a RESOLVED chat is recorded as REOPEN with no actor.
 */
public enum CustodyAction {
    INTERVENE, TAKEOVER, TRANSFER, RELEASE, RESOLVE, REOPEN, DEACTIVATE, HANDOFF;

    /** The reason an old holder reads in {@code chat.revoked}. */
    public String revocationReason() {
        return switch (this) {
            case TAKEOVER -> "TAKEN_OVER";
            case TRANSFER -> "TRANSFERRED";
            case RELEASE -> "RELEASED";
            case RESOLVE -> "RESOLVED";
            case DEACTIVATE -> "DEACTIVATED";
            case INTERVENE, REOPEN, HANDOFF -> throw new IllegalStateException(this + " never revokes a holder");
        };
    }
}
