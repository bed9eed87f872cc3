package dev.baton.realtime;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.baton.config.DatabaseTls;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Connections apart from the request pool: two for reading the outbox and notifying peers, the
 * LISTEN connection, and two for background senders (webhook deliveries). Under request load the
 * fan-out and the senders do not queue behind business transactions for a connection: at 32
 * saturating transfer clients a webhook claim waited for a pooled connection behind them, and a
 * healthy receiver got 22 deliveries/s while 130 custody changes/s were made.
 */
@ApplicationScoped
public class RealtimeDatabase {

    private static final Logger LOG = Logger.getLogger(RealtimeDatabase.class);
    /** Names each connection in pg_stat_activity: baton (requests), baton-realtime, baton-listen, baton-migrations. */
    private static final String APPLICATION_NAME = "application_name";

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final io.vertx.mutiny.sqlclient.Pool pool;
    private final io.vertx.mutiny.sqlclient.Pool background;

    public RealtimeDatabase(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres") String username,
            @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "") String password,
            @ConfigProperty(name = "quarkus.datasource.reactive.cache-prepared-statements", defaultValue = "false") boolean cachePreparedStatements) {
        this.vertx = vertx;
        String uri = url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url;
        // The request pool's TLS settings: the outbox reader, the senders and LISTEN must not fall back to plain text.
        this.options = DatabaseTls.apply(PgConnectOptions.fromUri(uri), ConfigProvider.getConfig()).setUser(username).setPassword(password)
                .setConnectTimeout(5000)
                // As the request pool does (one setting, so a pooler in transaction mode can turn it off for all): the reader runs one statement all day.
                .setCachePreparedStatements(cachePreparedStatements);
        this.pool = pool("baton-realtime");
        this.background = pool("baton-background");
    }

    /**
     * The connection options under {@code name}: as application_name in pg_stat_activity, and as the
     * metrics name "prefix|client", so postgresql_* meters are tagged clientName={@code name} beside
     * the request pool's clientName="<default>" (unnamed, they became m__* meters and clashed).
     */
    private PgConnectOptions named(String name) {
        return new PgConnectOptions(options).setMetricsName("postgresql|" + name).addProperty(APPLICATION_NAME, name);
    }

    private io.vertx.mutiny.sqlclient.Pool pool(String name) {
        return io.vertx.mutiny.sqlclient.Pool.newInstance(
                PgPool.pool(vertx, named(name), new PoolOptions().setMaxSize(2).setConnectionTimeout(5).setName(name)));
    }

    /** The background senders' pool (webhook claims and their outcomes). */
    public io.vertx.mutiny.sqlclient.Pool background() {
        return background;
    }

    public io.vertx.mutiny.sqlclient.Pool pool() {
        return pool;
    }

    public PgSubscriber subscriber() {
        return PgSubscriber.subscriber(vertx, named("baton-listen"));
    }

    /** Waits (briefly) for the close, for the same reason as {@link PeerNotifier#close()}. */
    @PreDestroy
    void close() {
        awaitClosed(pool.close().subscribeAsCompletionStage(), "real-time pool");
        awaitClosed(background.close().subscribeAsCompletionStage(), "background pool");
    }

    /** Bounded wait at shutdown; never fails it. */
    static void awaitClosed(CompletionStage<Void> closing, String what) {
        try {
            closing.toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("closing the %s: %s", what, e.toString());
        }
    }
}
