package dev.baton.realtime;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.agent.Agent;
import dev.baton.chat.Chat;
import dev.baton.chat.ChatView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * Every staff member's live inbox. Its first frame is {@code inbox.snapshot}: the chats the agent
 * holds with their last seq, from which the client catches up over REST; then live events.
 *
 * <p>The socket is registered (pending) before the snapshot is read, so every event committed after
 * the read reaches it, held back until the snapshot has gone out; the held events the snapshot
 * already reflects (a chat it lists, at or below the listed seq) are dropped. The same read
 * re-checks the agent: a deactivation or role change that committed after the upgrade check but
 * before the registration (its "close this agent's sockets" found nothing to close) is seen here,
 * and one that commits later finds the registered socket.
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
    public Uni<Void> open(WebSocketConnection connection) {
        SocketAccess.Grant grant = connection.userData().get(SocketAccess.GRANT);
        SocketSession session = registry.addInbox(connection, grant);
        if (session == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> Agent.<Agent>findById(grant.agentId()).chain(agent -> {
            if (!grant.stillHeldBy(agent)) {
                session.close(new CloseReason(1008, "access changed"));
                return Uni.createFrom().voidItem();
            }
            return Chat.<Chat>list("holderId = ?1 order by activityAt desc", grant.agentId())
                    .map(chats -> chats.stream().map(chat -> ChatView.of(chat, agent)).toList())
                    .invoke(views -> session.open(snapshot(grant, views), notIn(views)))
                    .replaceWithVoid();
        }));
    }

    /** Clients have nothing to say on this socket; anything they send is ignored. */
    @OnTextMessage
    public void ignore(String message) {
        // deliberately empty: the protocol is server-to-client; commands go over REST
    }

    @OnPongMessage
    public void pong(Buffer data, WebSocketConnection connection) {
        registry.heard(connection);
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        registry.remove(connection);
    }

    private String snapshot(SocketAccess.Grant grant, List<ChatView> views) {
        return write(new Envelope("inbox.snapshot", grant.workspaceId(), null, null, OffsetDateTime.now(ZoneOffset.UTC), null,
                Map.of("chats", views)));
    }

    /** Frames not already reflected by the snapshot: those of other chats, or past the snapshot's seq. */
    private Predicate<String> notIn(List<ChatView> views) {
        Map<String, Long> lastSeq = new HashMap<>();
        views.forEach(v -> lastSeq.put(v.id().toString(), v.lastSeq()));
        return frame -> {
            JsonNode node = read(frame);
            Long listed = lastSeq.get(node.path("chatId").asText());
            return listed == null || !node.path("seq").isNumber() || node.path("seq").asLong() > listed;
        };
    }

    private JsonNode read(String frame) {
        try {
            return json.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
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
