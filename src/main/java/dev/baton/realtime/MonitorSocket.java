package dev.baton.realtime;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.jboss.logging.Logger;

import dev.baton.realtime.ConnectionRegistry.Session;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * Incognito monitoring for OWNERs and MANAGERs: every timeline entry of one chat, live. Nothing is
 * published about the watcher; the session is written to the monitoring audit only.
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
        Session granted = connection.userData().get(SocketAccess.SESSION);
        Session session = new Session(connection, granted.agentId(), granted.workspaceId(), granted.role(), granted.monitoredChat());
        connection.userData().put(SocketAccess.SESSION, session);
        session.tagLogs();
        registry.addMonitor(session);
        MonitorSession audit = new MonitorSession();
        audit.id = UUID.randomUUID();
        audit.workspaceId = session.workspaceId();
        audit.chatId = session.monitoredChat();
        audit.agentId = session.agentId();
        audit.startedAt = OffsetDateTime.now(ZoneOffset.UTC);
        connection.userData().put(AUDIT_ID, audit.id);
        return Panache.withTransaction(audit::persist).replaceWithVoid();
    }

    /** Watchers have nothing to say on this socket; anything they send is ignored. */
    @OnTextMessage
    public void ignore(String message) {
        // deliberately empty: monitoring is receive-only and must leave no trace
    }

    @OnClose
    public Uni<Void> close(WebSocketConnection connection) {
        Session session = connection.userData().get(SocketAccess.SESSION);
        if (session != null && session.connection() != null) {
            session.tagLogs();
            registry.removeMonitor(session);
        }
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
