package dev.baton.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.baton.agent.Agent;
import dev.baton.agent.Role;
import dev.baton.problem.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.LockModeType;

/** Chats as the services find them: locked for a write, or checked for what the actor may see. */
@ApplicationScoped
public class ChatRepository {

    private final List<ReadGrant> grants;

    public ChatRepository(Instance<ReadGrant> grants) {
        this.grants = grants.stream().toList();
    }

    /** The chat, row-locked, if it belongs to the workspace; 404 otherwise. */
    public Uni<Chat> lockInWorkspace(UUID workspaceId, UUID chatId) {
        return Chat.<Chat>findById(chatId, LockModeType.PESSIMISTIC_WRITE).map(chat -> {
            if (chat == null || !chat.workspaceId.equals(workspaceId)) {
                throw ApiException.chatNotFound();
            }
            return chat;
        });
    }

    /**
     * The chat if the actor may read it: supervisors any chat of the workspace, agents their own, the
     * unheld queue and what a {@link ReadGrant} allows them.
     */
    public Uni<Chat> visible(Agent actor, UUID chatId) {
        return Chat.<Chat>findById(chatId).chain(chat -> {
            if (chat == null || !chat.workspaceId.equals(actor.workspaceId)) {
                throw ApiException.chatNotFound();
            }
            Uni<Boolean> allowed = Uni.createFrom().item(canSee(actor, chat));
            for (ReadGrant grant : grants) {
                allowed = allowed.chain(yes -> yes ? Uni.createFrom().item(true) : grant.mayRead(actor, chat));
            }
            return allowed.map(yes -> {
                if (!yes) {
                    throw ApiException.chatNotFound();
                }
                return chat;
            });
        });
    }

    static boolean canSee(Agent actor, Chat chat) {
        if (actor.role != Role.AGENT) {
            return true;
        }
        return actor.id.equals(chat.holderId)
                || (chat.holderId == null && (chat.status == ChatStatus.OPEN || chat.status == ChatStatus.REQUESTING));
    }

    public Uni<ChatView> view(Chat chat) {
        return chat.holderId == null ? Uni.createFrom().item(ChatView.of(chat, null))
                : Agent.<Agent>findById(chat.holderId).map(holder -> ChatView.of(chat, holder));
    }

    public Uni<List<ChatView>> views(List<Chat> chats) {
        List<UUID> holderIds = chats.stream().map(c -> c.holderId).filter(Objects::nonNull).distinct().toList();
        Uni<List<Agent>> holders = holderIds.isEmpty() ? Uni.createFrom().item(List.of()) : Agent.list("id in ?1", holderIds);
        return holders.map(agents -> {
            Map<UUID, Agent> byId = new HashMap<>();
            agents.forEach(a -> byId.put(a.id, a));
            List<ChatView> views = new ArrayList<>(chats.size());
            chats.forEach(c -> views.add(ChatView.of(c, c.holderId == null ? null : byId.get(c.holderId))));
            return views;
        });
    }
}
