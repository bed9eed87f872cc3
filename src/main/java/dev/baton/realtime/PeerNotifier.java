package dev.baton.realtime;

import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
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
    private final Pool pool;
    private final RealtimeMetrics metrics;
    private final String url;
    private final String username;
    private final String password;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean listening;
    private PgSubscriber subscriber;

    public PeerNotifier(Vertx vertx, Pool pool, RealtimeMetrics metrics,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres") String username,
            @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "") String password) {
        this.vertx = vertx;
        this.pool = pool;
        this.metrics = metrics;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** Starts listening; {@code onWake} runs on every notification and after every (re)connect, to catch up. */
    void listen(Runnable onWake) {
        String uri = url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url;
        PgConnectOptions options = PgConnectOptions.fromUri(uri).setUser(username).setPassword(password);
        subscriber = PgSubscriber.subscriber(vertx, options)
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
        pool.query("NOTIFY " + CHANNEL).execute().subscribe().with(r -> done(), e -> done());
    }

    private void done() {
        inFlight.set(false);
        if (pending.getAndSet(false)) {
            notifyPeers();
        }
    }

    @PreDestroy
    void close() {
        PgSubscriber s = subscriber;
        subscriber = null;
        if (s != null) {
            s.close();
        }
    }
}
