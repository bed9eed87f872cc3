package dev.baton.realtime;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The socket fan-out, the first consumer of the event log: sends every committed event to this
 * instance's sockets, exactly once, in commit order per chat.
 *
 * <p><b>Why no committed event is skipped.</b> Each read is one statement, so PostgreSQL evaluates
 * it in one snapshot S, and the statement also returns S ({@code pg_current_snapshot()}). It selects
 * the events whose transaction ({@code txid}) is not visible in the previous read's snapshot P,
 * and S becomes the next P. An event E of a transaction T that commits is visible in every snapshot
 * taken after the commit; let S be the first of this reader's snapshots in which it is visible.
 * In the P before it T was not visible, so that read selects E; in every later read P already sees
 * T, so E is not selected again. Nothing depends on ids or on how long T stays open: a commit an
 * hour late is read by the first read after it. The first P is the snapshot at start-up (sockets
 * opened later get the state by snapshot and catch-up), so a transaction open across a restart is
 * still delivered when it commits.
 *
 * <p>One chat's events are written under its row lock, and PostgreSQL releases locks only after
 * the commit is visible, so a later event of the chat is never visible without the earlier one:
 * ordering each read by id keeps the chat's seq order.
 *
 * <p>Wake-ups: a local commit wakes it directly; commits on other instances arrive as a NOTIFY
 * (outside any transaction, coalesced); a 1 s timer is the safety net. A delivery that throws is
 * contained to that frame (logged, counted); a read that fails or hangs is retried from the same P;
 * readiness reports a reader that has not completed a read for {@code baton.realtime.stall-limit}.
 */
@ApplicationScoped
public class EventDispatcher {

    private static final Logger LOG = Logger.getLogger(EventDispatcher.class);
    private static final String START = "select pg_current_snapshot()::text";
    private static final String READ = "with s as (select pg_current_snapshot() as now) "
            + "select s.now::text, e.id, e.workspace_id, e.chat_id, e.deliveries, e.created_at "
            + "from s left join event e on " + LogPosition.unseenIn("$1::pg_snapshot") + " order by e.id";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final Vertx vertx;
    private final ConnectionRegistry registry;
    private final PeerNotifier peers;
    private final RealtimeMetrics metrics;
    private final ObjectMapper json;
    private final Duration stallLimit;
    private final List<Runnable> followers = new CopyOnWriteArrayList<>();

    private Context context;
    /** The previous read's snapshot (P); null until the start-up read. */
    private LogPosition position;
    private boolean polling;
    private boolean again;
    private volatile long lastRead = System.nanoTime();
    private volatile boolean stopped;

    public EventDispatcher(RealtimeDatabase database, Vertx vertx, ConnectionRegistry registry, PeerNotifier peers, RealtimeMetrics metrics,
            ObjectMapper json, @ConfigProperty(name = "baton.realtime.stall-limit", defaultValue = "PT30S") Duration stallLimit) {
        this.pool = database.pool();
        this.vertx = vertx;
        this.registry = registry;
        this.peers = peers;
        this.metrics = metrics;
        this.json = json;
        this.stallLimit = stallLimit;
    }

    void start(@Observes StartupEvent event) {
        context = vertx.getOrCreateContext();
        peers.listen(this::wake);
        vertx.setPeriodic(1000, id -> wake());
        wake();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /** A local transaction with events committed: deliver here now, and tell the other instances. */
    public void committed() {
        wake();
        peers.notifyPeers();
    }

    /**
     * Durable consumers ({@link EventConsumers}) that want to look at the log whenever it may have
     * grown: on local commits, on the other instances' NOTIFY and on the 1 s timer, like this reader.
     */
    public void alsoWake(Runnable follower) {
        followers.add(follower);
    }

    /** Looks for new events soon; calls while a read is running coalesce into one more read. */
    public void wake() {
        followers.forEach(Runnable::run);
        if (context != null && !stopped) {
            context.runOnContext(v -> poll());
        }
    }

    /** Whether reads complete: false when none has for the stall limit (readiness). */
    public boolean reading() {
        return System.nanoTime() - lastRead < stallLimit.toNanos();
    }

    private void poll() {
        if (polling) {
            again = true;
            return;
        }
        polling = true;
        again = false;
        if (position == null) {
            read(pool.query(START).execute(), rows -> position = LogPosition.parse(rows.iterator().next().getString(0)));
        } else {
            read(pool.preparedQuery(READ).execute(Tuple.of(position.snapshot())), this::deliver);
        }
    }

    private void read(Uni<RowSet<Row>> query, Consumer<RowSet<Row>> handle) {
        query.ifNoItem().after(READ_TIMEOUT).fail().subscribe().with(rows -> {
            try {
                handle.accept(rows);
            } catch (RuntimeException e) {
                // Not a delivery (those are contained one by one) but the read itself: retried from the
                // same snapshot on the next wake-up; if it keeps failing, readiness reports the stall.
                LOG.errorf(e, "event read could not be processed");
                polling = false;
                return;
            }
            finish();
        }, this::failed);
    }

    private void failed(Throwable e) {
        LOG.debugf("event read failed (retrying from the same snapshot on the next wake-up): %s", e.getMessage());
        polling = false;
    }

    private void finish() {
        lastRead = System.nanoTime();
        polling = false;
        if (again) {
            poll();
        }
    }

    private void deliver(RowSet<Row> rows) {
        LogPosition next = null;
        for (Row row : rows) {
            if (next == null) {
                next = LogPosition.parse(row.getString(0));
                if (next.before(position)) {
                    // The server restarted or failed over and hands out transaction ids this reader has
                    // already counted as seen: its position means nothing there. Sockets reconnect and
                    // resynchronise (snapshot + catch-up), as after a restart of this instance.
                    LOG.warn("the database's transaction ids went backwards (failover?): reconnecting every socket");
                    registry.closeAllForResync();
                    position = next;
                    return;
                }
            }
            if (row.getValue(1) != null) {
                try {
                    deliverOne(row);
                } catch (RuntimeException e) {
                    metrics.deliveryFailed();
                    LOG.errorf(e, "event %s could not be delivered; the next ones go on", row.getValue(1));
                }
            }
        }
        position = next;
    }

    private void deliverOne(Row row) {
        long id = row.getLong(1);
        UUID workspaceId = row.getUUID(2);
        UUID chatId = row.getUUID(3);
        for (StoredDelivery d : parse(id, row.getString(4))) {
            try {
                registry.deliver(d.audience(), workspaceId, chatId, d.agentId(), d.frame());
            } catch (RuntimeException e) {
                metrics.deliveryFailed();
                LOG.errorf(e, "delivery of event %d (%s) failed; the other frames go on", id, d.audience());
            }
        }
        metrics.delivered(row.getOffsetDateTime(5));
    }

    private List<StoredDelivery> parse(long id, String deliveries) {
        try {
            return StoredDelivery.decode(json, deliveries);
        } catch (RuntimeException e) {
            metrics.deliveryFailed();
            LOG.errorf("unreadable event %d skipped: %s", id, e.getMessage());
            return List.of();
        }
    }
}
