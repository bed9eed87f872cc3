package dev.baton.realtime;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

import org.jboss.logging.Logger;

import dev.baton.problem.DatabaseUnavailable;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClosedException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A failure on a socket. A client that sends more than the frame or message limit is misbehaving,
 * not a server fault: its socket closes with 1009 (message too big) and the log gets a DEBUG line,
 * so abuse cannot flood the logs with errors. A client that went away (TCP reset, broken pipe, a
 * channel already closed) is routine, also DEBUG. A socket that could not be served because
 * PostgreSQL is unreachable or its pool saturated (no connection within the acquire timeout) closes
 * with 1013 (try again later) and a WARN line without a stack trace, like the HTTP 503. Anything
 * else is logged as an error and closes the socket with 1011. A global handler: it serves every
 * socket endpoint.
 */
@ApplicationScoped
public class SocketErrors {

    private static final Logger LOG = Logger.getLogger(SocketErrors.class);

    @OnError
    public Uni<Void> close(Throwable failure, WebSocketConnection connection) {
        if (disconnected(failure)) {
            // The connection is gone already (the client left, or an over-long frame dropped it).
            LOG.debugf("socket %s: %s", connection.id(), failure.toString());
            return Uni.createFrom().voidItem();
        }
        // Vert.x signals an over-long fragmented message with this IllegalStateException only.
        boolean tooBig = failure instanceof CorruptedWebSocketFrameException
                || (failure instanceof IllegalStateException && String.valueOf(failure.getMessage()).contains("max message size"));
        boolean unavailable = !tooBig && DatabaseUnavailable.matches(failure);
        if (tooBig) {
            LOG.debugf("socket %s closed: %s", connection.id(), failure.getMessage());
        } else if (unavailable) {
            LOG.warnf("socket %s closed with 1013, the database is unavailable or saturated: %s", connection.id(), failure);
        } else {
            LOG.errorf(failure, "socket %s failed", connection.id());
        }
        if (connection.isClosed()) {
            return Uni.createFrom().voidItem();
        }
        CloseReason reason = tooBig ? new CloseReason(1009, "message too big")
                : unavailable ? new CloseReason(1013, "try again later") : new CloseReason(1011, "server error");
        return connection.close(reason).onFailure().recoverWithNull();
    }

    /** The peer is gone: an error about the connection, not about anything Baton did. */
    static boolean disconnected(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpClosedException || t instanceof ClosedChannelException) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if (t instanceof IOException && (message.contains("Connection reset") || message.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }
}
