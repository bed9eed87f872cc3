package dev.baton.realtime;

import java.lang.reflect.Method;

import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper;
import io.quarkus.websockets.next.HandshakeRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Keeps WebSocket upgrades out of the HTTP requests that graceful shutdown waits for, so SIGTERM
 * does not wait the whole {@code quarkus.shutdown.timeout} once this instance has had a socket.
 *
 * <p>Why: Quarkus's graceful shutdown ({@code GracefulShutdownFilter}) counts every request until
 * {@code QuarkusRequestWrapper.done()} runs, and only Vert.x's end, close and exception handlers on
 * the request and response call it. An upgrade fires none of them (Vert.x 4.5): {@code
 * Http1xServerRequest.toWebSocket()} replaces the request's exception handler, and the 101 is sent by
 * {@code Http1xServerResponse.completeHandshake()}, which neither ends the response nor leaves it in
 * progress for the connection's close. So every socket this instance ever accepted stayed "in
 * flight" forever, long after {@link ConnectionRegistry#closeAll} had closed it.
 *
 * <p>Here, each upgrade request is marked done as it arrives. {@code done()} is
 * package-private and no public API reaches it, so it is called reflectively (registered for native
 * images; it is idempotent, so a later Quarkus that calls it too does no harm). Should it ever be
 * missing, this logs a warning and shutdown merely waits for the timeout again.
 */
@Singleton
@RegisterForReflection(targets = QuarkusRequestWrapper.class, methods = true, fields = false)
public class UpgradedRequests {

    private static final Logger LOG = Logger.getLogger(UpgradedRequests.class);
    /** Ahead of every other filter; the request goes on unchanged. */
    private static final int PRIORITY = Integer.MAX_VALUE;

    private final Method done = doneMethod();

    void install(@Observes Filters filters) {
        if (done != null) {
            filters.register(this::track, PRIORITY);
        }
    }

    void track(RoutingContext context) {
        HttpServerRequest request = context.request();
        // The websockets-next criterion for an upgrade. Marked done at once rather than when the
        // socket closes: holding the request until then kept ~7 KB per open socket alive (measured
        // with the delivery benchmark: 31.3 against 24.0 KB per socket). Sockets need no counting
        // here: ConnectionRegistry closes them all with 1001 as shutdown begins. done() runs once
        // only, so the end of a refused upgrade's response changes nothing.
        if (request.headers().contains(HandshakeRequest.SEC_WEBSOCKET_KEY)) {
            release(QuarkusRequestWrapper.get(request));
        }
        context.next();
    }

    private void release(QuarkusRequestWrapper wrapper) {
        try {
            done.invoke(wrapper);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("could not mark a closed WebSocket's upgrade request done: %s", e.toString());
        }
    }

    private static Method doneMethod() {
        try {
            Method method = QuarkusRequestWrapper.class.getDeclaredMethod("done");
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("QuarkusRequestWrapper.done() not found (%s): on SIGTERM an instance that has accepted "
                    + "WebSockets waits for quarkus.shutdown.timeout", e.toString());
            return null;
        }
    }
}
