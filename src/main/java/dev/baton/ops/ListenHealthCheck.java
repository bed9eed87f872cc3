package dev.baton.ops;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.baton.realtime.PeerNotifier;
import jakarta.enterprise.context.ApplicationScoped;

/** Without its LISTEN connection an instance would miss other replicas' events: not ready. */
@Readiness
@ApplicationScoped
public class ListenHealthCheck implements HealthCheck {

    private final PeerNotifier peers;

    public ListenHealthCheck(PeerNotifier peers) {
        this.peers = peers;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Real-time LISTEN connection").status(peers.listening()).build();
    }
}
