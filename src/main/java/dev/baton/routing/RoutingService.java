package dev.baton.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.baton.agent.Actors;
import dev.baton.agent.Agent;
import dev.baton.agent.Role;
import dev.baton.auth.Caller;
import dev.baton.chat.Chat;
import dev.baton.chat.ChatRepository;
import dev.baton.common.NativeSelects;
import dev.baton.problem.ApiException;
import dev.baton.routing.RoutingRequests.Settings;
import dev.baton.routing.RoutingViews.Queue;
import dev.baton.routing.RoutingViews.QueueItem;
import dev.baton.routing.RoutingViews.SettingsView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The workspace's routing settings (owners) and the queue of waiting chats. */
@ApplicationScoped
public class RoutingService {

    /**
     * ?1 workspace, ?2 a team or null (every waiting chat), ?3 an AGENT's id or null: an agent sees the
     * chats without a team and those of its teams.
     */
    private static final String DROP_TIMERS = "delete from chat_timer where workspace_id = ?1";
    private static final String QUEUE = "select " + Chat.columns("c") + " from chat c where c.workspace_id = ?1 and c.status = 'REQUESTING' "
            + "and (cast(?2 as uuid) is null or c.team_id = cast(?2 as uuid)) "
            + "and (cast(?3 as uuid) is null or c.team_id is null "
            + "or exists (select 1 from team_member m where m.team_id = c.team_id and m.agent_id = cast(?3 as uuid))) "
            + "order by c.queued_at, c.id limit ?4";

    private final Actors actors;
    private final ChatRepository chats;
    private final Router router;

    private final SettingsCache cache;

    public RoutingService(Actors actors, ChatRepository chats, Router router, SettingsCache cache) {
        this.cache = cache;
        this.actors = actors;
        this.chats = chats;
        this.router = router;
    }

    public Uni<SettingsView> settings(Caller caller) {
        return Panache.withSession(() -> owner(caller).chain(actor -> current(actor.workspaceId)).map(SettingsView::of));
    }

    /** Replaces the settings; a new mode or a higher default limit may make waiting chats assignable at once. */
    public Uni<SettingsView> update(Caller caller, Settings request) {
        return Panache.withTransaction(() -> owner(caller).chain(actor -> RoutingSettings.<RoutingSettings>findById(actor.workspaceId)
                .chain(found -> {
                    RoutingSettings settings = found == null ? RoutingSettings.defaults(actor.workspaceId) : found;
                    settings.mode = request.mode();
                    settings.defaultMaxChats = request.defaultMaxChats();
                    settings.noReplyTimeoutSeconds = request.timeout() == null ? null : request.timeout().toSeconds();
                    // Without a timeout no timer may stand: changes stop cancelling them (NoReplyTimer).
                    Uni<Integer> timers = settings.noReplyTimeoutSeconds != null ? Uni.createFrom().item(0)
                            : Panache.getSession().chain(session -> session.createNativeQuery(DROP_TIMERS)
                                    .setParameter(1, actor.workspaceId).executeUpdate());
                    return timers.chain(() -> settings.<RoutingSettings>persistAndFlush());
                })))
                .invoke(cache::put)
                .invoke(settings -> router.wake(settings.workspaceId))
                .map(SettingsView::of);
    }

    /** REQUESTING chats, oldest first, with their position in the listed queue. */
    public Uni<Queue> queue(Caller caller, UUID teamId, int limit) {
        return Panache.withSession(() -> actors.require(caller).chain(actor -> Teams.inWorkspace(actor.workspaceId, teamId)
                .call(team -> team == null || actor.role != Role.AGENT ? Uni.createFrom().voidItem() : member(actor, team))
                .chain(team -> Panache.getSession().chain(session -> session.createNativeQuery(QUEUE, Chat.class)
                        .setParameter(1, NativeSelects.once(actor.workspaceId)).setParameter(2, team)
                        .setParameter(3, actor.role == Role.AGENT ? actor.id : null).setParameter(4, limit).getResultList()))
                .chain(waiting -> chats.views(waiting).map(views -> {
                    List<QueueItem> items = new ArrayList<>(views.size());
                    for (int i = 0; i < views.size(); i++) {
                        items.add(new QueueItem(i + 1, waiting.get(i).queuedAt, views.get(i)));
                    }
                    return new Queue(items);
                }))));
    }

    static Uni<RoutingSettings> current(UUID workspaceId) {
        return RoutingSettings.<RoutingSettings>findById(workspaceId)
                .map(found -> found == null ? RoutingSettings.defaults(workspaceId) : found);
    }

    private static Uni<Void> member(Agent actor, UUID teamId) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("select count(*) from team_member where team_id = ?1 and agent_id = ?2", Long.class)
                .setParameter(1, NativeSelects.once(teamId)).setParameter(2, actor.id).getSingleResult())
                .invoke(n -> {
                    if (n == 0) {
                        throw ApiException.forbidden("Agents see the queues of their own teams only.");
                    }
                }).replaceWithVoid();
    }

    private Uni<Agent> owner(Caller caller) {
        return actors.require(caller).invoke(actor -> {
            if (actor.role != Role.OWNER) {
                throw ApiException.forbidden("Only owners manage routing.");
            }
        });
    }
}
