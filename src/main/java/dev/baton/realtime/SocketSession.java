package dev.baton.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.baton.agent.Role;
import dev.baton.ops.RequestLogContext;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * One open socket, whom it belongs to, and what is on its way to it.
 *
 * <p>A session starts <em>pending</em>: it is already findable by the events addressed to it (so
 * none committed after its access was re-checked is missed, and a "close this agent's sockets"
 * reaches it), but frames are held back until {@link #open} sends the first frame the endpoint
 * promises (the inbox snapshot) or confirms the session (the monitor's audit row committed).
 *
 * <p>Outgoing bytes are bounded: a frame counts from the moment it is handed to Vert.x until its
 * write completes, i.e. until the kernel took it. A client that stops reading makes writes stop
 * completing; once {@code maxQueuedBytes} are waiting, the socket is closed with 1008 and gets
 * nothing more. Its close frame waits behind the backlog it will never read, so the connection
 * is dropped at the TCP level after {@code CLOSE_GRACE_MILLIS} if it is still there (Vert.x's own
 * closing timeout starts only once the close frame is written, so it never would be).
 */
public final class SocketSession {

    private static final Logger LOG = Logger.getLogger(SocketSession.class);
    private static final long CLOSE_GRACE_MILLIS = 5_000;

    private enum State {
        PENDING, OPEN, CLOSED
    }

    private final WebSocketConnection connection;
    private final SocketAccess.Grant grant;
    private final long maxQueuedBytes;
    private final Vertx vertx;
    private List<Frame> held = new ArrayList<>();
    private State state = State.PENDING;
    private long queuedBytes;
    private volatile long heardAt = System.nanoTime();

    private record Frame(String text, int bytes) {
    }

    SocketSession(WebSocketConnection connection, SocketAccess.Grant grant, long maxQueuedBytes, Vertx vertx) {
        this.connection = connection;
        this.grant = grant;
        this.maxQueuedBytes = maxQueuedBytes;
        this.vertx = vertx;
    }

    static int utf8Length(String text) {
        int bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                // 2 bytes below U+0800, else 3; a surrogate pair is 4 bytes for its two chars
                bytes += c < 0x800 ? 1 : Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }

    public UUID agentId() {
        return grant.agentId();
    }

    public UUID workspaceId() {
        return grant.workspaceId();
    }

    public Role role() {
        return grant.role();
    }

    public UUID monitoredChat() {
        return grant.monitoredChat();
    }

    WebSocketConnection connection() {
        return connection;
    }

    /**
     * Tags the log lines of this socket's callbacks with its workspace and agent ids, as
     * {@link RequestLogContext} does for requests; each connection runs on its own duplicated
     * Vert.x context, where Quarkus keeps the MDC.
     */
    void tagLogs() {
        MDC.put(RequestLogContext.WORKSPACE_ID, workspaceId().toString());
        MDC.put(RequestLogContext.AGENT_ID, agentId().toString());
    }

    /** The client answered a ping. */
    void heard() {
        heardAt = System.nanoTime();
    }

    long silentNanos(long now) {
        return now - heardAt;
    }

    /** A frame for this socket: held while pending, sent once open, dropped once closed. */
    synchronized void offer(String text, int bytes) {
        if (state == State.PENDING) {
            held.add(new Frame(text, bytes));
            queuedBytes += bytes;
            if (queuedBytes > maxQueuedBytes) {
                overflow();
            }
        } else if (state == State.OPEN) {
            write(new Frame(text, bytes));
        }
    }

    /**
     * Sends {@code first} (if any), then the held frames that {@code stillNews} accepts, in the order
     * they came, and from then on every frame as it comes. False if the session was closed meanwhile.
     */
    synchronized boolean open(String first, Predicate<String> stillNews) {
        if (state != State.PENDING) {
            return false;
        }
        List<Frame> frames = held;
        held = null;
        queuedBytes = 0;
        state = State.OPEN;
        if (first != null) {
            write(new Frame(first, utf8Length(first)));
        }
        for (Frame frame : frames) {
            if (stillNews.test(frame.text()) && state == State.OPEN) {
                write(frame);
            }
        }
        return state == State.OPEN;
    }

    /** Ends delivery to this socket and closes it with {@code reason}; later frames are dropped. */
    synchronized void close(CloseReason reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        held = null;
        connection.close(reason).subscribe().with(x -> {
        }, e -> LOG.debugf("closing socket %s: %s", connection.id(), e.getMessage()));
        vertx.setTimer(CLOSE_GRACE_MILLIS, id -> abortIfStillOpen());
    }

    /** The socket has closed: nothing more is sent. */
    synchronized void ended() {
        state = State.CLOSED;
        held = null;
    }

    synchronized boolean isClosed() {
        return state == State.CLOSED;
    }

    /**
     * Drops the TCP connection if the close handshake could not happen (the client is not reading).
     * Vert.x has no public way to abort an upgraded connection: its {@code close()} sends a close
     * frame, which waits behind the unread backlog. {@code ConnectionBase} is Vert.x-internal; if
     * a later Vert.x changes it, this does nothing and the HTTP idle timeout ends the connection.
     */
    private void abortIfStillOpen() {
        if (grant.tcp() instanceof ConnectionBase tcp && tcp.channel().isActive()) {
            LOG.debugf("socket %s did not close in time: connection dropped", connection.id());
            tcp.channel().close();
        }
    }

    private void write(Frame frame) {
        if (queuedBytes + frame.bytes() > maxQueuedBytes && queuedBytes > 0) {
            overflow();
            return;
        }
        queuedBytes += frame.bytes();
        connection.sendText(frame.text()).subscribe().with(x -> written(frame.bytes()), e -> {
            written(frame.bytes());
            LOG.debugf("send to %s failed: %s", agentId(), e.getMessage());
        });
    }

    private synchronized void written(int bytes) {
        queuedBytes -= bytes;
    }

    private void overflow() {
        LOG.debugf("socket %s: more than %d bytes unread, closing", connection.id(), maxQueuedBytes);
        close(new CloseReason(1008, "not reading: outgoing queue full"));
    }
}
