package dev.baton.agent;

import java.util.UUID;

import dev.baton.auth.Caller;
import dev.baton.problem.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** The agents a request acts as or on, read inside the caller's session or transaction. */
@ApplicationScoped
public class Actors {

    /**
     * The active agent a token speaks for, read inside the caller's transaction: a deactivated
     * agent's still-valid token stops working at once.
     */
    public Uni<Agent> require(Caller caller) {
        return Agent.<Agent>findById(caller.agentId()).map(agent -> active(caller, agent));
    }

    /** {@link #require}, locked like {@link #lockForCustody}: the actor may become the holder. */
    public Uni<Agent> requireForCustody(Caller caller) {
        return Agent.<Agent>findById(caller.agentId(), LockModeType.PESSIMISTIC_READ).map(agent -> active(caller, agent));
    }

    /**
     * An agent of the workspace, locked against concurrent deactivation while it is made a holder.
     * Lock agents before chats (see ChatService#transition).
     */
    public Uni<Agent> lockForCustody(UUID workspaceId, UUID agentId) {
        return Agent.<Agent>findById(agentId, LockModeType.PESSIMISTIC_READ)
                .map(agent -> agent != null && agent.workspaceId.equals(workspaceId) ? agent : null);
    }

    /**
     * {@link #require} with the row write-locked before it is read: an unlocked copy written back
     * would undo a concurrent deactivation or demotion (every column is written).
     */
    public Uni<Agent> requireLocked(Caller caller) {
        return Agent.<Agent>findById(caller.agentId(), LockModeType.PESSIMISTIC_WRITE).map(agent -> active(caller, agent));
    }

    /** The agent row if the token still speaks for it (active, same workspace, current token epoch); else 401. */
    public static Agent active(Caller caller, Agent agent) {
        if (!caller.speaksFor(agent)) {
            throw ApiException.unauthorized();
        }
        return agent;
    }
}
