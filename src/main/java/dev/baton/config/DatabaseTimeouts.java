package dev.baton.config;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;

/**
 * Fail fast when PostgreSQL is unreachable. A refused connection fails at once, but a database
 * behind a dropped network path would leave each request waiting for Vert.x's defaults (60 s to
 * connect, 30 s for a pooled connection) before the 503. Quarkus exposes neither as configuration,
 * so the pool is built here exactly as Quarkus would, with both bounded.
 */
@Singleton
public class DatabaseTimeouts implements PgPoolCreator {

    private final Duration connectTimeout;
    private final Duration acquireTimeout;

    public DatabaseTimeouts(@ConfigProperty(name = "baton.db.connect-timeout", defaultValue = "PT3S") Duration connectTimeout,
            @ConfigProperty(name = "baton.db.acquire-timeout", defaultValue = "PT5S") Duration acquireTimeout) {
        this.connectTimeout = connectTimeout;
        this.acquireTimeout = acquireTimeout;
    }

    @Override
    public Pool create(Input input) {
        List<PgConnectOptions> databases = input.pgConnectOptionsList();
        databases.forEach(options -> options.setConnectTimeout((int) connectTimeout.toMillis()));
        input.poolOptions().setConnectionTimeout((int) acquireTimeout.toMillis()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        return PgDriver.INSTANCE.createPool(input.vertx(), databases, input.poolOptions());
    }
}
