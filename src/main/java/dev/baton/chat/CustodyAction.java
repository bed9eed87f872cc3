package dev.baton.chat;

/** The custody transitions a person may request (PRODUCT.md); the system's own are only {@link CustodyChange}s. */
public enum CustodyAction {
    INTERVENE, TAKEOVER, TRANSFER, RELEASE, RESOLVE, REOPEN;

    /** How the ledger records it. */
    public CustodyChange change() {
        return CustodyChange.valueOf(name());
    }
}
