package dev.baton.realtime;

/**
 * How far a reader of the event log has got: the PostgreSQL snapshot ({@code xmin:xmax:xip,…}) of
 * its last read. Every transaction visible in it has been read; the others are read once they
 * become visible.
 */
record LogPosition(String snapshot, long xmax) {

    /**
     * The SQL condition "event e's transaction is not visible in the snapshot {@code position}" (a
     * parameter or expression of type pg_snapshot), written as the two index lookups it amounts to:
     * transactions that started after the snapshot, and those it saw running. A transaction left open
     * for hours costs one point lookup per read, not a re-scan of everything since it began.
     */
    static String unseenIn(String position) {
        return "(e.txid >= pg_snapshot_xmax(" + position + ") or e.txid = any(array(select pg_snapshot_xip(" + position + "))))";
    }

    static LogPosition parse(String snapshot) {
        String[] parts = snapshot.split(":", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a pg_snapshot: " + snapshot);
        }
        return new LogPosition(snapshot, Long.parseUnsignedLong(parts[1]));
    }

    /**
     * Whether this position lies before {@code earlier}: transaction ids never go backwards on one
     * server, so the database was replaced by one that lost transactions (an asynchronous failover)
     * and will hand out ids the earlier position counts as already read.
     */
    boolean before(LogPosition earlier) {
        return Long.compareUnsigned(xmax, earlier.xmax) < 0;
    }
}
