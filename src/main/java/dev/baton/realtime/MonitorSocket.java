package dev.baton.realtime;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.jboss.logging.Logger;

import dev.baton.agent.Agent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * Incognito monitoring for OWNERs and MANAGERs: every timeline entry of one chat, live. Nothing is
 * published about the watcher; the session is written to the monitoring audit only.
 *
 * <p>No frame reaches the watcher before its audit row has committed: the socket is registered
 * pending (events are held), the row is inserted in a transaction that also re-checks the agent
 * (see {@link InboxSocket} for the race this closes), and only after the commit are the held
 * events sent. If the insert fails, the watcher sees nothing: the socket closes with 1011 and the
 * failure is logged as a warning.
 */
@WebSocket(path = "/ws/v1/chats/{id}/monitor")
public class MonitorSocket {

    private static final UserData.TypedKey<UUID> AUDIT_ID = new UserData.TypedKey<>("baton.monitor-session");

    private static final Logger LOG = Logger.getLogger(MonitorSocket.class);

    private final ConnectionRegistry registry;

    public MonitorSocket(ConnectionRegistry registry) {
        this.registry = registry;
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        SocketAccess.Grant grant = connection.userData().get(SocketAccess.GRANT);
        SocketSession session = registry.addMonitor(connection, grant);
        if (session == null) {
            return Uni.createFrom().voidItem();
        }
        MonitorSession audit = new MonitorSession();
        audit.id = UUID.randomUUID();
        audit.workspaceId = grant.workspaceId();
        audit.chatId = grant.monitoredChat();
        audit.agentId = grant.agentId();
        audit.startedAt = OffsetDateTime.now(ZoneOffset.UTC);
        return Panache.withTransaction(() -> Agent.<Agent>findById(grant.agentId()).chain(agent -> grant.stillHeldBy(agent)
                ? audit.persist().replaceWith(true)
                : Uni.createFrom().item(false)))
                .invoke(allowed -> {
                    if (!allowed) {
                        session.close(new CloseReason(1008, "access changed"));
                        return;
                    }
                    connection.userData().put(AUDIT_ID, audit.id);
                    session.open(null, frame -> true);
                })
                .onFailure().invoke(e -> {
                    LOG.warnf("monitor socket refused: its audit row could not be written (%s)", e.toString());
                    session.close(new CloseReason(1011, "monitoring audit unavailable"));
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Watchers have nothing to say on this socket; anything they send is ignored. */
    @OnTextMessage
    public void ignore(String message) {
        // deliberately empty: monitoring is receive-only and must leave no trace
    }

    @OnPongMessage
    public void pong(Buffer data, WebSocketConnection connection) {
        registry.heard(connection);
    }

    @OnClose
    public Uni<Void> close(WebSocketConnection connection) {
        registry.remove(connection);
        UUID auditId = connection.userData().get(AUDIT_ID);
        if (auditId == null) {
            return Uni.createFrom().voidItem();
        }
        // During shutdown the database may already be gone: the audit then keeps an open end.
        return Panache.withTransaction(() -> MonitorSession.update("endedAt = ?1 where id = ?2",
                OffsetDateTime.now(ZoneOffset.UTC), auditId)).replaceWithVoid()
                .onFailure().invoke(e -> LOG.debugf("monitor session %s not closed in the audit: %s", auditId, e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
