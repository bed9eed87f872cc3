package dev.baton.chat;

import dev.baton.agent.Agent;
import io.smallrye.mutiny.Uni;

/**
 * Told of every custody change, inside its transaction and under the chat's row lock, before the
 * change is written or published: what it writes and publishes commits with the change, or not at
 * all, and its events reach people before the change's own (a previous holder gets nothing of the
 * chat after {@code chat.revoked}). Lets other capabilities (offers) follow custody without chat/
 * knowing them.
 */
public interface CustodyListener {

    /** @param actor who made the change; null for the system's own changes (a customer message) */
    Uni<Void> custodyChanging(Chat chat, Agent actor, Custody.Decision decision);
}
