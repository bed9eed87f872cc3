package dev.baton.ops;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.baton.realtime.EventDispatcher;
import jakarta.enterprise.context.ApplicationScoped;

/** An instance whose dispatcher no longer completes reads would keep sockets open and silent: not ready. */
@Readiness
@ApplicationScoped
public class DispatcherHealthCheck implements HealthCheck {

    private final EventDispatcher dispatcher;

    public DispatcherHealthCheck(EventDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Real-time event dispatcher").status(dispatcher.reading()).build();
    }
}
