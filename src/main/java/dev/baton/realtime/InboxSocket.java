package dev.baton.realtime;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.chat.Chat;
import dev.baton.agent.Agent;
import dev.baton.chat.ChatView;
import dev.baton.realtime.ConnectionRegistry.Session;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * Every staff member's live inbox. On open it sends {@code inbox.snapshot}: the chats the agent
 * holds with their last seq, from which the client catches up over REST; then live events.
 */
@WebSocket(path = "/ws/v1/inbox")
public class InboxSocket {

    private final ConnectionRegistry registry;
    private final ObjectMapper json;

    public InboxSocket(ConnectionRegistry registry, ObjectMapper json) {
        this.registry = registry;
        this.json = json;
    }

    @OnOpen
    public Uni<String> open(WebSocketConnection connection) {
        Session granted = connection.userData().get(SocketAccess.SESSION);
        Session session = new Session(connection, granted.agentId(), granted.workspaceId(), granted.role(), null);
        connection.userData().put(SocketAccess.SESSION, session);
        session.tagLogs();
        // Registered before the snapshot is read: an event committed meanwhile arrives live and the
        // snapshot covers the rest; the client de-duplicates by seq.
        registry.addInbox(session);
        return Panache.withSession(() -> Agent.<Agent>findById(session.agentId()).chain(agent -> Chat
                .<Chat>list("holderId = ?1 order by activityAt desc", session.agentId())
                .map(chats -> chats.stream().map(chat -> ChatView.of(chat, agent)).toList())))
                .map(views -> write(new Envelope("inbox.snapshot", session.workspaceId(), null, null,
                        OffsetDateTime.now(ZoneOffset.UTC), null, Map.of("chats", views))));
    }

    /** Clients have nothing to say on this socket; anything they send is ignored. */
    @OnTextMessage
    public void ignore(String message) {
        // deliberately empty: the protocol is server-to-client; commands go over REST
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        Session session = connection.userData().get(SocketAccess.SESSION);
        if (session != null && session.connection() != null) {
            session.tagLogs();
            registry.removeInbox(session);
        }
    }

    private String write(Envelope envelope) {
        try {
            return json.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
