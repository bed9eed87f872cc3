package dev.baton.realtime;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * This instance's open sockets, indexed the ways events address them. Other instances have their
 * own. It also bounds what one agent and one slow client can hold: at most {@code maxPerAgent}
 * sockets per agent on this instance, at most {@code maxQueuedBytes} unsent per socket (see
 * {@link SocketSession}), and a socket whose client stopped answering pings for
 * {@code pongTimeout} is closed.
 */
@ApplicationScoped
public class ConnectionRegistry {

    private static final Logger LOG = Logger.getLogger(ConnectionRegistry.class);
    static final UserData.TypedKey<SocketSession> SESSION = new UserData.TypedKey<>("baton.session");

    private final Map<UUID, Set<SocketSession>> inboxByAgent = new ConcurrentHashMap<>();
    private final Map<UUID, Set<SocketSession>> inboxByWorkspace = new ConcurrentHashMap<>();
    private final Map<UUID, Set<SocketSession>> monitorsByChat = new ConcurrentHashMap<>();
    private final Map<UUID, Set<SocketSession>> monitorsByAgent = new ConcurrentHashMap<>();
    private final Map<UUID, Integer> socketsPerAgent = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();

    private final Vertx vertx;
    private final int maxPerAgent;
    private final long maxQueuedBytes;
    private final Duration pongTimeout;

    public ConnectionRegistry(Vertx vertx,
            @ConfigProperty(name = "baton.websocket.max-per-agent") int maxPerAgent,
            @ConfigProperty(name = "baton.websocket.max-queued-bytes") long maxQueuedBytes,
            @ConfigProperty(name = "baton.websocket.pong-timeout") Duration pongTimeout) {
        this.vertx = vertx;
        this.maxPerAgent = maxPerAgent;
        this.maxQueuedBytes = maxQueuedBytes;
        this.pongTimeout = pongTimeout;
    }

    void start(@Observes StartupEvent event) {
        vertx.setPeriodic(Math.max(100, pongTimeout.toMillis() / 4), id -> closeSilent());
    }

    /**
     * Registers a socket as pending (see {@link SocketSession}); null when its agent already has
     * {@code maxPerAgent} sockets here, and the socket is then closed with 1008.
     */
    public SocketSession addInbox(WebSocketConnection connection, SocketAccess.Grant grant) {
        SocketSession s = reserve(connection, grant);
        if (s != null) {
            add(inboxByAgent, s.agentId(), s);
            add(inboxByWorkspace, s.workspaceId(), s);
            LOG.debug("inbox socket opened");
        }
        return s;
    }

    public SocketSession addMonitor(WebSocketConnection connection, SocketAccess.Grant grant) {
        SocketSession s = reserve(connection, grant);
        if (s != null) {
            add(monitorsByChat, s.monitoredChat(), s);
            add(monitorsByAgent, s.agentId(), s);
            LOG.debug("monitor socket opened");
        }
        return s;
    }

    /** The socket's close: it leaves the indexes and frees its agent's slot. */
    public void remove(WebSocketConnection connection) {
        SocketSession s = connection.userData().get(SESSION);
        if (s == null) {
            return;
        }
        connection.userData().remove(SESSION);
        s.tagLogs();
        s.ended();
        if (s.monitoredChat() == null) {
            remove(inboxByAgent, s.agentId(), s);
            remove(inboxByWorkspace, s.workspaceId(), s);
            LOG.debug("inbox socket closed");
        } else {
            remove(monitorsByChat, s.monitoredChat(), s);
            remove(monitorsByAgent, s.agentId(), s);
            LOG.debug("monitor socket closed");
        }
        socketsPerAgent.computeIfPresent(s.agentId(), (k, n) -> n == 1 ? null : n - 1);
    }

    /** The client answered a ping. */
    public void heard(WebSocketConnection connection) {
        SocketSession s = connection.userData().get(SESSION);
        if (s != null) {
            s.heard();
        }
    }

    public int inboxCount() {
        return inboxByAgent.values().stream().mapToInt(Set::size).sum();
    }

    public int monitorCount() {
        return monitorsByChat.values().stream().mapToInt(Set::size).sum();
    }

    /** Sends one committed event to whoever on this instance it is for. */
    public void deliver(Audience audience, UUID workspaceId, UUID chatId, UUID agentId, String payload) {
        if (audience == Audience.CONTROL) {
            Consumer<SocketSession> close = s -> s.close(new CloseReason(1008, "access changed"));
            forEach(inboxByAgent.get(agentId), close);
            forEach(monitorsByAgent.get(agentId), close);
            return;
        }
        int bytes = SocketSession.utf8Length(payload);
        Consumer<SocketSession> send = s -> s.offer(payload, bytes);
        if (agentId != null) {
            forEach(inboxByAgent.get(agentId), send);
        }
        switch (audience) {
            case STAFF -> forEach(inboxByWorkspace.get(workspaceId), send);
            case SUPERVISORS -> forEach(inboxByWorkspace.get(workspaceId), s -> {
                if (s.role().supervises()) {
                    send.accept(s);
                }
            });
            case MONITORS -> forEach(monitorsByChat.get(chatId), send);
            default -> {
            }
        }
    }

    /**
     * Server shutdown: every socket is closed with 1001 (going away) as soon as shutdown begins, so
     * clients reconnect elsewhere during the shutdown delay. Graceful shutdown does not wait for
     * sockets ({@link UpgradedRequests}); this is where they end.
     */
    void closeAll(@Observes ShutdownDelayInitiatedEvent event) {
        closeAll(new CloseReason(1001, "server shutting down"));
    }

    /**
     * The event log's position became meaningless (the database failed over and lost transactions):
     * every socket closes with 1012 (service restart), and clients reconnect and catch up.
     */
    void closeAllForResync() {
        closeAll(new CloseReason(1012, "reconnect to resynchronise"));
    }

    private void closeAll(CloseReason reason) {
        Consumer<SocketSession> close = s -> s.close(reason);
        inboxByAgent.values().forEach(set -> forEach(set, close));
        monitorsByChat.values().forEach(set -> forEach(set, close));
    }

    /** Sends that threw (a failure stays with its recipient; the others still get the frame). */
    long deliveryFailures() {
        return failures.sum();
    }

    private SocketSession reserve(WebSocketConnection connection, SocketAccess.Grant grant) {
        boolean[] admitted = new boolean[1];
        socketsPerAgent.compute(grant.agentId(), (k, n) -> {
            int open = n == null ? 0 : n;
            admitted[0] = open < maxPerAgent;
            return admitted[0] ? open + 1 : open;
        });
        if (!admitted[0]) {
            LOG.debugf("agent %s already has %d sockets here: refused", grant.agentId(), maxPerAgent);
            connection.close(new CloseReason(1008, "too many sockets for this agent")).subscribe().with(x -> {
            }, e -> {
            });
            return null;
        }
        SocketSession s = new SocketSession(connection, grant, maxQueuedBytes, vertx);
        connection.userData().put(SESSION, s);
        s.tagLogs();
        return s;
    }

    /**
     * Auto-ping (quarkus.websockets-next.server.auto-ping-interval) sends the pings; a client that
     * has not answered one for {@code pongTimeout} is gone or not reading, and its socket is closed.
     */
    private void closeSilent() {
        long now = System.nanoTime();
        long limit = pongTimeout.toNanos();
        Consumer<SocketSession> check = s -> {
            if (s.silentNanos(now) > limit && !s.isClosed()) {
                LOG.debugf("socket %s: no pong for %s, closing", s.connection().id(), pongTimeout);
                s.close(new CloseReason(1001, "no pong"));
            }
        };
        inboxByAgent.values().forEach(set -> forEach(set, check));
        monitorsByChat.values().forEach(set -> forEach(set, check));
    }

    private void forEach(Set<SocketSession> sessions, Consumer<SocketSession> action) {
        if (sessions == null) {
            return;
        }
        for (SocketSession s : sessions) {
            try {
                action.accept(s);
            } catch (RuntimeException e) {
                failures.increment();
                LOG.errorf(e, "delivery to a socket of agent %s failed", s.agentId());
            }
        }
    }

    private static void add(Map<UUID, Set<SocketSession>> index, UUID key, SocketSession s) {
        index.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(s);
    }

    private static void remove(Map<UUID, Set<SocketSession>> index, UUID key, SocketSession s) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }
}
