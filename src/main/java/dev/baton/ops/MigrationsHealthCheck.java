package dev.baton.ops;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Ready only once every migration on the class path is applied. A readiness check only, never a
 * startup one: while the migration Job or the database bootstraps, the pod waits unready instead of
 * being restarted in back-off by its startup probe. Applied migrations stay applied,
 * so after the first success the check answers from memory and probes cost no JDBC connection.
 */
@Readiness
@ApplicationScoped
public class MigrationsHealthCheck implements HealthCheck {

    static final String NAME = "Database migrations";

    @Inject
    Flyway flyway;

    private volatile boolean applied;

    @Override
    public HealthCheckResponse call() {
        if (!applied) {
            try {
                applied = flyway.info().pending().length == 0;
            } catch (RuntimeException e) {
                return HealthCheckResponse.named(NAME).down().withData("error", e.getClass().getSimpleName()).build();
            }
        }
        return HealthCheckResponse.named(NAME).status(applied).build();
    }
}
