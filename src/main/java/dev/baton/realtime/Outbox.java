package dev.baton.realtime;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.realtime.Envelope.Performer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes real-time events inside the caller's transaction, and wakes the fan-out after commit.
 * Delivery of a row: its {@code agent_id} (if any) gets it on the inbox, then its audience group.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper json;
    private final EventDispatcher dispatcher;

    public Outbox(ObjectMapper json, EventDispatcher dispatcher) {
        this.json = json;
        this.dispatcher = dispatcher;
    }

    public Uni<Void> publish(Audience audience, UUID agentId, String type, UUID workspaceId, UUID chatId, Long seq,
            OffsetDateTime at, Performer performer, Object data) {
        OutboxEvent event = new OutboxEvent();
        event.workspaceId = workspaceId;
        event.chatId = chatId;
        event.audience = audience;
        event.agentId = agentId;
        try {
            event.payload = json.writeValueAsString(new Envelope(type, workspaceId, chatId, seq, at, performer, data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event not serialisable", e);
        }
        return event.persist().replaceWithVoid();
    }

    /** Closes the agent's sockets on every instance once the transaction commits. */
    public Uni<Void> disconnect(UUID workspaceId, UUID agentId) {
        return publish(Audience.CONTROL, agentId, "agent.disconnect", workspaceId, null, null, OffsetDateTime.now(), null, null);
    }

    /** Call after a transaction that published events has committed. */
    public void committed() {
        dispatcher.committed();
    }
}
