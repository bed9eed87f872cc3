package dev.baton.chat;

import dev.baton.agent.Agent;
import io.smallrye.mutiny.Uni;

/**
 * A reason, beyond the permissions table, for an AGENT to read a chat it does not hold (the target
 * of a pending offer). Asked only when the table says no; reading never grants acting.
 */
public interface ReadGrant {

    Uni<Boolean> mayRead(Agent actor, Chat chat);
}
