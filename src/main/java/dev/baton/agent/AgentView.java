package dev.baton.agent;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An agent as the API shows it (never the password hash). */
public record AgentView(UUID id, UUID workspaceId, String username, String displayName, Role role,
        Availability availability, boolean active, OffsetDateTime createdAt, Integer maxChats) {

    public static AgentView of(Agent a) {
        return new AgentView(a.id, a.workspaceId, a.username, a.displayName, a.role, a.availability, a.active, a.createdAt,
                a.maxChats);
    }
}
