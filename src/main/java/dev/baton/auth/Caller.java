package dev.baton.auth;

import java.util.UUID;

import dev.baton.agent.Agent;

/**
 * Who a verified token speaks for, and the agent's token epoch when it was issued. Role and active
 * state are always re-read from the database.
 */
public record Caller(UUID agentId, UUID workspaceId, int tokenEpoch) {

    /**
     * Whether the token still speaks for this agent row: active, same workspace, and issued in the
     * agent's current epoch (a deactivation or role change since then ends it).
     */
    public boolean speaksFor(Agent agent) {
        return agent != null && agent.active && agent.workspaceId.equals(workspaceId) && agent.tokenEpoch == tokenEpoch;
    }
}
