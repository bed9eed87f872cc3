package dev.baton.webhook;

import java.net.InetAddress;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Host name to addresses, as the JVM resolves them (hosts file, then DNS), off the event loop. A
 * bean of its own so tests can make a name resolve differently at creation and at send time.
 */
@ApplicationScoped
public class NameResolver {

    private final Vertx vertx;

    public NameResolver(Vertx vertx) {
        this.vertx = vertx;
    }

    public Uni<List<InetAddress>> resolve(String host) {
        return Uni.createFrom().completionStage(() -> vertx.<List<InetAddress>>executeBlocking(
                () -> List.of(InetAddress.getAllByName(host)), false).toCompletionStage());
    }
}
