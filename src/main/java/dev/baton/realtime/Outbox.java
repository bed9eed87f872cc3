package dev.baton.realtime;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.realtime.Envelope.Performer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes real-time events inside the caller's transaction, and wakes the fan-out after commit.
 * Each delivery goes to its {@code agentId}'s inbox (if set) and then to its audience group.
 */
@ApplicationScoped
public class Outbox {

    /** One event for one audience. */
    public record Delivery(Audience audience, UUID agentId, String type, Long seq, OffsetDateTime at, Performer performer,
            Object data) {
    }

    /** A delivery as stored: the frame is serialised once, at write time, and sent verbatim. */
    public record Stored(Audience audience, UUID agentId, String frame) {
    }

    private final ObjectMapper json;
    private final EventDispatcher dispatcher;

    public Outbox(ObjectMapper json, EventDispatcher dispatcher) {
        this.json = json;
        this.dispatcher = dispatcher;
    }

    /** Stores the deliveries of one chat (or of none, chatId null) as one outbox row. */
    public Uni<Void> publish(UUID workspaceId, UUID chatId, List<Delivery> deliveries) {
        OutboxEvent event = new OutboxEvent();
        event.workspaceId = workspaceId;
        event.chatId = chatId;
        try {
            List<Stored> stored = new ArrayList<>(deliveries.size());
            for (Delivery d : deliveries) {
                String frame = d.type() == null ? null
                        : json.writeValueAsString(new Envelope(d.type(), workspaceId, chatId, d.seq(), d.at(), d.performer(), d.data()));
                stored.add(new Stored(d.audience(), d.agentId(), frame));
            }
            event.deliveries = json.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event not serialisable", e);
        }
        return event.persist().replaceWithVoid();
    }

    /** Closes the agent's sockets on every instance once the transaction commits. */
    public Uni<Void> disconnect(UUID workspaceId, UUID agentId) {
        return publish(workspaceId, null, List.of(new Delivery(Audience.CONTROL, agentId, null, null, null, null, null)));
    }

    /** Call after a transaction that published events has committed. */
    public void committed() {
        dispatcher.committed();
    }
}
