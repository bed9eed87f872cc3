package dev.baton.realtime;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import dev.baton.agent.Agent;
import dev.baton.agent.Actors;
import dev.baton.agent.Role;
import dev.baton.auth.CurrentCaller;
import dev.baton.chat.ChatRepository;
import dev.baton.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** GET /chats/{id}/monitors: the monitoring audit of a chat, for OWNERs only. */
@Path("/api/v1/chats/{id}/monitors")
public class MonitorAuditResource {

    public record Watcher(UUID id, String username) {
    }

    public record MonitorView(UUID id, Watcher watcher, OffsetDateTime startedAt, OffsetDateTime endedAt) {
    }

    public record MonitorPage(List<MonitorView> items) {
    }

    private final CurrentCaller caller;
    private final Actors actors;
    private final ChatRepository chats;

    public MonitorAuditResource(CurrentCaller caller, Actors actors, ChatRepository chats) {
        this.caller = caller;
        this.actors = actors;
        this.chats = chats;
    }

    @GET
    public Uni<MonitorPage> list(@PathParam("id") UUID chatId) {
        return Panache.withSession(() -> actors.require(caller.get()).chain(actor -> {
            if (actor.role != Role.OWNER) {
                throw ApiException.forbidden("Only owners read the monitoring audit.");
            }
            return chats.visible(actor, chatId)
                    .chain(chat -> MonitorSession.<MonitorSession>list("chatId = ?1 order by startedAt", chatId))
                    .chain(sessions -> Agent.<Agent>list("workspaceId = ?1", actor.workspaceId).map(agents -> {
                        java.util.Map<UUID, String> names = new java.util.HashMap<>();
                        agents.forEach(a -> names.put(a.id, a.username));
                        return new MonitorPage(sessions.stream().map(s -> new MonitorView(s.id,
                                new Watcher(s.agentId, names.get(s.agentId)), s.startedAt, s.endedAt)).toList());
                    }));
        }));
    }
}
