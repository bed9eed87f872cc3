package dev.baton.agent;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An agent as the API shows it (never the password hash). {@code heldChats}, its load, only in the
 * list of agents, where "Transfer to" and "Offer" choose a target by it.
 */
public record AgentView(UUID id, UUID workspaceId, String username, String displayName, Role role,
        Availability availability, boolean active, OffsetDateTime createdAt, Integer maxChats,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long heldChats) {

    public static AgentView of(Agent a) {
        return withLoad(a, null);
    }

    static AgentView withLoad(Agent a, Long heldChats) {
        return new AgentView(a.id, a.workspaceId, a.username, a.displayName, a.role, a.availability, a.active, a.createdAt,
                a.maxChats, heldChats);
    }
}
