package dev.baton.realtime;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The wake-up between instances: one LISTEN connection per instance (reconnecting by itself), and
 * an autocommit NOTIFY after local commits, at most one in flight, so a burst of commits costs
 * one or two notifications and no commit ever waits for one.
 */
@ApplicationScoped
public class PeerNotifier {

    private static final Logger LOG = Logger.getLogger(PeerNotifier.class);
    static final String CHANNEL = "baton_events";

    private final Vertx vertx;
    private final RealtimeDatabase database;
    private final RealtimeMetrics metrics;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean listening;
    private PgSubscriber subscriber;

    public PeerNotifier(Vertx vertx, RealtimeDatabase database, RealtimeMetrics metrics) {
        this.vertx = vertx;
        this.database = database;
        this.metrics = metrics;
    }

    /** Starts listening; {@code onWake} runs on every notification and after every (re)connect, to catch up. */
    void listen(Runnable onWake) {
        subscriber = database.subscriber()
                .reconnectPolicy(retries -> {
                    listening = false;
                    metrics.listenReconnect();
                    return 500L;
                });
        subscriber.closeHandler(v -> listening = false);
        subscriber.channel(CHANNEL)
                .subscribeHandler(v -> {
                    listening = true;
                    onWake.run();
                })
                .handler(payload -> onWake.run());
        connect();
    }

    private void connect() {
        subscriber.connect().onComplete(ar -> {
            if (ar.failed()) {
                LOG.warnf("LISTEN connection failed (%s); retrying", ar.cause().getMessage());
                listening = false;
                vertx.setTimer(1000, id -> {
                    if (subscriber != null && subscriber.closed()) {
                        connect();
                    }
                });
            }
        });
    }

    /** Whether the LISTEN connection is up (readiness). */
    public boolean listening() {
        return listening;
    }

    void notifyPeers() {
        if (!inFlight.compareAndSet(false, true)) {
            pending.set(true);
            return;
        }
        pending.set(false);
        database.pool().query("NOTIFY " + CHANNEL).execute().subscribe().with(r -> done(), e -> done());
    }

    private void done() {
        inFlight.set(false);
        if (pending.getAndSet(false)) {
            notifyPeers();
        }
    }

    /**
     * Waits (briefly) until the LISTEN connection is closed: its close finishes on an event loop, and
     * if Vert.x has shut down by then Netty logs an ERROR for the rejected continuation.
     */
    @PreDestroy
    void close() {
        PgSubscriber s = subscriber;
        subscriber = null;
        if (s != null) {
            RealtimeDatabase.awaitClosed(s.close().toCompletionStage(), "LISTEN connection");
        }
    }
}
