package dev.baton.realtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Deletes events every reader is done with. An event goes only when (1) its transaction finished
 * more than {@link #KEEP} ago — older than the oldest running transaction ({@code xmin}) this
 * instance saw that long ago, so every live instance's socket fan-out, which reads every second,
 * has read it — and (2) it is visible in the position of every durable consumer in
 * {@code event_consumer}. No age alone ever deletes a row that may still be unread.
 */
@ApplicationScoped
public class EventRetention {

    private static final Logger LOG = Logger.getLogger(EventRetention.class);
    static final Duration KEEP = Duration.ofHours(1);
    private static final Duration EVERY = Duration.ofMinutes(5);
    private static final String DELETE = "delete from event where txid < $1::xid8 and not exists ("
            + "select 1 from event_consumer c where not pg_visible_in_snapshot(event.txid, c.position))";

    private record Horizon(long at, String xmin) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final Deque<Horizon> horizons = new ArrayDeque<>();

    public EventRetention(RealtimeDatabase database, Vertx vertx) {
        this.pool = database.pool();
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        vertx.setPeriodic(EVERY.toMillis(), id -> run());
    }

    private void run() {
        pool.query("select pg_snapshot_xmin(pg_current_snapshot())::text").execute().subscribe().with(rows -> {
            long now = System.nanoTime();
            horizons.addLast(new Horizon(now, rows.iterator().next().getString(0)));
            Horizon old = null;
            while (!horizons.isEmpty() && now - horizons.peekFirst().at() >= KEEP.toNanos()) {
                old = horizons.pollFirst();
            }
            if (old != null) {
                pool.preparedQuery(DELETE).execute(Tuple.of(old.xmin())).subscribe().with(r -> {
                }, e -> LOG.debugf("event cleanup failed: %s", e.getMessage()));
            }
        }, e -> LOG.debugf("event cleanup failed: %s", e.getMessage()));
    }
}
