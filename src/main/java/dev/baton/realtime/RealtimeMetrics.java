package dev.baton.realtime;

import java.time.Duration;
import java.time.OffsetDateTime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/** Baton's real-time meters: open sockets, delivery latency (commit to frame sent), delivery failures, LISTEN reconnects. */
@ApplicationScoped
public class RealtimeMetrics {

    private final Timer deliveryLatency;
    private final Counter listenReconnects;
    private final Counter frameFailures;

    public RealtimeMetrics(MeterRegistry registry, ConnectionRegistry connections) {
        this.deliveryLatency = Timer.builder("baton.events.delivery.latency")
                .description("Time from an event's insert (in its transaction) to its fan-out on this instance")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.listenReconnects = Counter.builder("baton.listen.reconnects")
                .description("Reconnects of the LISTEN connection").register(registry);
        // One meter, two places a delivery can fail: a whole frame (unreadable, or its fan-out threw) or one socket.
        this.frameFailures = Counter.builder("baton.events.delivery.failures").tag("scope", "frame")
                .description("Event deliveries that failed and were skipped; the dispatcher went on").register(registry);
        FunctionCounter.builder("baton.events.delivery.failures", connections, ConnectionRegistry::deliveryFailures).tag("scope", "socket")
                .description("Event deliveries that failed and were skipped; the dispatcher went on").register(registry);
        Gauge.builder("baton.sockets.open", connections, ConnectionRegistry::inboxCount).tag("endpoint", "inbox")
                .description("Open WebSocket connections").register(registry);
        Gauge.builder("baton.sockets.open", connections, ConnectionRegistry::monitorCount).tag("endpoint", "monitor")
                .description("Open WebSocket connections").register(registry);
    }

    void delivered(OffsetDateTime createdAt) {
        if (createdAt != null) {
            long millis = System.currentTimeMillis() - createdAt.toInstant().toEpochMilli();
            deliveryLatency.record(Duration.ofMillis(Math.max(0, millis)));
        }
    }

    void deliveryFailed() {
        frameFailures.increment();
    }

    void listenReconnect() {
        listenReconnects.increment();
    }
}
