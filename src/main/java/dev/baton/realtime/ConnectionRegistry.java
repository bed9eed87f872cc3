package dev.baton.realtime;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.baton.agent.Role;
import dev.baton.ops.RequestLogContext;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** This instance's open sockets, indexed the ways events address them. Other instances have their own. */
@ApplicationScoped
public class ConnectionRegistry {

    private static final Logger LOG = Logger.getLogger(ConnectionRegistry.class);

    /** One open socket and whom it belongs to. */
    public record Session(WebSocketConnection connection, UUID agentId, UUID workspaceId, Role role, UUID monitoredChat) {

        /**
         * Tags the log lines of this socket's callbacks with its workspace and agent ids, as
         * {@link RequestLogContext} does for requests; each connection runs on its own duplicated
         * Vert.x context, where Quarkus keeps the MDC.
         */
        void tagLogs() {
            MDC.put(RequestLogContext.WORKSPACE_ID, workspaceId.toString());
            MDC.put(RequestLogContext.AGENT_ID, agentId.toString());
        }
    }

    private final Map<UUID, Set<Session>> inboxByAgent = new ConcurrentHashMap<>();
    private final Map<UUID, Set<Session>> inboxByWorkspace = new ConcurrentHashMap<>();
    private final Map<UUID, Set<Session>> monitorsByChat = new ConcurrentHashMap<>();
    private final Map<UUID, Set<Session>> monitorsByAgent = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();

    public void addInbox(Session s) {
        add(inboxByAgent, s.agentId(), s);
        add(inboxByWorkspace, s.workspaceId(), s);
        LOG.debug("inbox socket opened");
    }

    public void removeInbox(Session s) {
        remove(inboxByAgent, s.agentId(), s);
        remove(inboxByWorkspace, s.workspaceId(), s);
        LOG.debug("inbox socket closed");
    }

    public void addMonitor(Session s) {
        add(monitorsByChat, s.monitoredChat(), s);
        add(monitorsByAgent, s.agentId(), s);
        LOG.debug("monitor socket opened");
    }

    public void removeMonitor(Session s) {
        remove(monitorsByChat, s.monitoredChat(), s);
        remove(monitorsByAgent, s.agentId(), s);
        LOG.debug("monitor socket closed");
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
            Consumer<Session> close = s -> s.connection().close(new CloseReason(1008, "access changed")).subscribe().with(x -> {
            }, e -> {
            });
            forEach(inboxByAgent.get(agentId), close);
            forEach(monitorsByAgent.get(agentId), close);
            return;
        }
        Consumer<Session> send = s -> send(s, payload);
        if (agentId != null) {
            forEach(inboxByAgent.get(agentId), send);
        }
        switch (audience) {
            case STAFF -> forEach(inboxByWorkspace.get(workspaceId), send);
            case SUPERVISORS -> forEach(inboxByWorkspace.get(workspaceId), s -> {
                if (s.role().supervises()) {
                    send(s, payload);
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
        Consumer<Session> close = s -> s.connection().close(reason).subscribe().with(x -> {
        }, e -> {
        });
        inboxByAgent.values().forEach(set -> forEach(set, close));
        monitorsByChat.values().forEach(set -> forEach(set, close));
    }

    /** Sends that threw (a failure stays with its recipient; the others still get the frame). */
    long deliveryFailures() {
        return failures.sum();
    }

    private static void send(Session s, String payload) {
        if (s.connection().isOpen()) {
            s.connection().sendText(payload).subscribe().with(x -> {
            }, e -> LOG.debugf("send to %s failed: %s", s.agentId(), e.getMessage()));
        }
    }

    private void forEach(Set<Session> sessions, Consumer<Session> action) {
        if (sessions == null) {
            return;
        }
        for (Session s : sessions) {
            try {
                action.accept(s);
            } catch (RuntimeException e) {
                failures.increment();
                LOG.errorf(e, "delivery to a socket of agent %s failed", s.agentId());
            }
        }
    }

    private static void add(Map<UUID, Set<Session>> index, UUID key, Session s) {
        index.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(s);
    }

    private static void remove(Map<UUID, Set<Session>> index, UUID key, Session s) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }
}
