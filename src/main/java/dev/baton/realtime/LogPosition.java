package dev.baton.realtime;

/**
 * How far a reader of the event log has got: the PostgreSQL snapshot ({@code xmin:xmax:xip,…}) of
 * its last read. Every transaction visible in it has been read; the others are read once they
 * become visible.
 */
record LogPosition(String snapshot, long xmax) {

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
