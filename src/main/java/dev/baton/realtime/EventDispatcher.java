package dev.baton.realtime;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Fans committed outbox events out to this instance's sockets, in id order.
 *
 * <p>Wake-ups: a local commit wakes it directly; commits on other instances arrive as a NOTIFY
 * (sent outside any transaction and coalesced, so notifying never serialises commits); a slow
 * timer is the safety net. Ids are handed out at insert but become visible at commit, so an id
 * can appear after a higher one: skipped ids are remembered as gaps and looked for again until
 * they show up or expire (a rolled-back transaction leaves a gap forever). One chat's events
 * never overtake each other: they are written under that chat's row lock.
 */
@ApplicationScoped
public class EventDispatcher {

    private static final Logger LOG = Logger.getLogger(EventDispatcher.class);
    private static final String SELECT = "select id, workspace_id, chat_id, deliveries, created_at from event "
            + "where id > $1 or id = any($2) order by id limit 1000";
    private static final int MAX_TRACKED_GAP = 10_000;
    private static final TypeReference<List<Outbox.Stored>> STORED = new TypeReference<>() {
    };

    private final Pool pool;
    private final Vertx vertx;
    private final ConnectionRegistry registry;
    private final PeerNotifier peers;
    private final Duration gapExpiry;
    private final RealtimeMetrics metrics;
    private final ObjectMapper json;

    private Context context;
    private long cursor = -1;
    private final TreeMap<Long, Long> gaps = new TreeMap<>();
    private boolean polling;
    private boolean again;
    private volatile boolean stopped;

    public EventDispatcher(RealtimeDatabase database, Vertx vertx, ConnectionRegistry registry, PeerNotifier peers, RealtimeMetrics metrics,
            ObjectMapper json, @ConfigProperty(name = "baton.realtime.gap-expiry", defaultValue = "PT30S") Duration gapExpiry) {
        this.pool = database.pool();
        this.vertx = vertx;
        this.registry = registry;
        this.peers = peers;
        this.metrics = metrics;
        this.json = json;
        this.gapExpiry = gapExpiry;
    }

    void start(@Observes StartupEvent event) {
        context = vertx.getOrCreateContext();
        peers.listen(this::wake);
        vertx.setPeriodic(1000, id -> wake());
        vertx.setPeriodic(300_000, id -> pool.query("delete from event where created_at < now() - interval '1 hour'")
                .execute().subscribe().with(r -> {
                }, e -> LOG.debugf("event cleanup failed: %s", e.getMessage())));
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

    /** Looks for new events soon; calls while a read is running coalesce into one more read. */
    public void wake() {
        if (context != null && !stopped) {
            context.runOnContext(v -> poll());
        }
    }

    private void poll() {
        if (polling) {
            again = true;
            return;
        }
        polling = true;
        again = false;
        if (cursor < 0) {
            pool.query("select coalesce(max(id), 0) from event").execute().subscribe().with(rows -> {
                cursor = rows.iterator().next().getLong(0);
                finish(false);
            }, this::failed);
            return;
        }
        pool.preparedQuery(SELECT).execute(Tuple.of(cursor, gaps.keySet().toArray(new Long[0])))
                .subscribe().with(rows -> finish(deliver(rows)), this::failed);
    }

    private void failed(Throwable e) {
        LOG.debugf("event read failed (retrying on the next wake-up): %s", e.getMessage());
        polling = false;
    }

    private void finish(boolean full) {
        polling = false;
        if (again || full) {
            poll();
        }
    }

    /** Returns true when the page was full and more rows may be waiting. */
    private boolean deliver(RowSet<Row> rows) {
        long now = System.currentTimeMillis();
        int count = 0;
        for (Row row : rows) {
            count++;
            long id = row.getLong(0);
            if (gaps.remove(id) == null) {
                if (id <= cursor) {
                    continue;
                }
                if (id - cursor <= MAX_TRACKED_GAP) {
                    for (long missing = cursor + 1; missing < id; missing++) {
                        gaps.put(missing, now);
                    }
                }
                cursor = id;
            }
            UUID workspaceId = row.getUUID(1);
            UUID chatId = row.getUUID(2);
            for (Outbox.Stored d : parse(row.getString(3))) {
                registry.deliver(d.audience(), workspaceId, chatId, d.agentId(), d.frame());
            }
            metrics.delivered(row.getOffsetDateTime(4));
        }
        expireGaps(now);
        return count == 1000;
    }

    private List<Outbox.Stored> parse(String deliveries) {
        try {
            return json.readValue(deliveries, STORED);
        } catch (JsonProcessingException e) {
            LOG.errorf("unreadable outbox row skipped: %s", e.getMessage());
            return List.of();
        }
    }

    private void expireGaps(long now) {
        long limit = now - gapExpiry.toMillis();
        for (Iterator<Map.Entry<Long, Long>> it = gaps.entrySet().iterator(); it.hasNext();) {
            if (it.next().getValue() < limit) {
                it.remove();
            }
        }
    }
}
