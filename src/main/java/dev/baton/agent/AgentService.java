package dev.baton.agent;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.baton.agent.AgentRequests.AgentChange;
import dev.baton.agent.AgentRequests.NewAgent;
import dev.baton.auth.Caller;
import dev.baton.auth.PasswordHasher;
import dev.baton.chat.ChatService;
import dev.baton.common.NativeSelects;
import dev.baton.problem.ApiException;
import dev.baton.realtime.Outbox;
import dev.baton.routing.Router;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

@ApplicationScoped
public class AgentService {

    private static final String HELD = "select a.id, (select count(*) from chat c where c.holder_id = a.id) from agent a "
            + "where a.workspace_id = ?1";

    private final PasswordHasher passwords;
    private final ChatService chats;
    private final Outbox outbox;
    private final Actors actors;
    private final Router router;

    public AgentService(PasswordHasher passwords, ChatService chats, Outbox outbox, Actors actors, Router router) {
        this.router = router;
        this.passwords = passwords;
        this.chats = chats;
        this.outbox = outbox;
        this.actors = actors;
    }

    /** Every agent of the workspace with the chats it holds now (one index lookup per agent, as Capacity counts). */
    public Uni<List<AgentView>> list(Caller caller) {
        return Panache.withSession(() -> actors.require(caller)
                .chain(actor -> Agent.<Agent>list("workspaceId = ?1 order by username", actor.workspaceId)
                        .chain(agents -> Panache.getSession().chain(session -> session.createNativeQuery(HELD, Object[].class)
                                .setParameter(1, NativeSelects.once(actor.workspaceId)).getResultList())
                                .map(rows -> {
                                    Map<UUID, Long> held = new HashMap<>();
                                    rows.forEach(row -> held.put((UUID) row[0], ((Number) row[1]).longValue()));
                                    return agents.stream().map(a -> AgentView.withLoad(a, held.getOrDefault(a.id, 0L))).toList();
                                }))));
    }

    public Uni<AgentView> me(Caller caller) {
        return Panache.withSession(() -> actors.require(caller).map(AgentView::of));
    }

    public Uni<AgentView> create(Caller caller, NewAgent request) {
        return passwords.hash(request.password()).chain(hash -> Panache.withTransaction(() -> actors.require(caller)
                .chain(actor -> {
                    if (actor.role == Role.AGENT || (actor.role == Role.MANAGER && request.role() != Role.AGENT)) {
                        throw ApiException.forbidden(actor.role == Role.AGENT ? "Agents cannot create agents."
                                : "Managers can only create agents of role AGENT.");
                    }
                    return usernameFree(actor.workspaceId, request.username())
                            .chain(() -> newAgent(actor.workspaceId, request.username(), request.displayName(), request.role(), hash)
                                    .persistAndFlush());
                })))
                .map(agent -> AgentView.of((Agent) agent));
    }

    public static Uni<Void> usernameFree(UUID workspaceId, String username) {
        return Agent.count("workspaceId = ?1 and lower(username) = lower(?2)", workspaceId, username).map(n -> {
            if (n > 0) {
                throw ApiException.conflict("conflict", "username: '" + username + "' is already taken in this workspace");
            }
            return null;
        });
    }

    public static Agent newAgent(UUID workspaceId, String username, String displayName, Role role, String passwordHash) {
        Agent agent = new Agent();
        agent.id = UUID.randomUUID();
        agent.workspaceId = workspaceId;
        agent.username = username;
        agent.displayName = displayName;
        agent.role = role;
        agent.availability = Availability.ONLINE;
        agent.active = true;
        agent.passwordHash = passwordHash;
        agent.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        return agent;
    }

    /**
     * Actor and target are both row-locked (in id order, so two owners acting on each other queue up
     * instead of deadlocking) before either is read: each change then sees the other's outcome. That
     * keeps an owner in every workspace: a demotion or deactivation commits only while its actor is an
     * active OWNER other than the target, and nothing can change the actor's row before that commit.
     * The loser of two owners demoting each other finds its own token ended (401).
     */
    public Uni<AgentView> change(Caller caller, UUID agentId, AgentChange change) {
        return outbox.transaction(() -> Agent.<Agent>find("id in ?1 order by id", List.of(caller.agentId(), agentId))
                .withLock(LockModeType.PESSIMISTIC_WRITE).list().chain(locked -> {
                    Agent actor = Actors.active(caller, byId(locked, caller.agentId()));
                    Agent agent = byId(locked, agentId);
                    if (agent == null || !agent.workspaceId.equals(actor.workspaceId)) {
                        throw ApiException.agentNotFound();
                    }
                    boolean privileged = change.role() != null || change.active() != null;
                    if (privileged && actor.role != Role.OWNER) {
                        throw ApiException.forbidden("Only owners change roles or (de)activate agents.");
                    }
                    if (!privileged && change.displayName() != null && actor.role != Role.OWNER && !actor.id.equals(agent.id)) {
                        throw ApiException.forbidden("Only owners rename other agents.");
                    }
                    if (privileged && actor.id.equals(agent.id)
                            && (Boolean.FALSE.equals(change.active()) || (change.role() != null && change.role() != Role.OWNER))) {
                        throw ApiException.forbidden("Owners cannot deactivate or demote themselves.");
                    }
                    if (change.changesMaxChats() && !actor.role.supervises()) {
                        throw ApiException.forbidden("Only owners and managers set an agent's capacity.");
                    }
                    if (change.displayName() != null) {
                        agent.displayName = change.displayName();
                    }
                    if (change.changesMaxChats()) {
                        agent.maxChats = change.newMaxChats();
                    }
                    boolean deactivated = agent.active && Boolean.FALSE.equals(change.active());
                    boolean roleChanged = change.role() != null && change.role() != agent.role;
                    if (change.role() != null) {
                        agent.role = change.role();
                    }
                    if (change.active() != null) {
                        agent.active = change.active();
                    }
                    if (deactivated || roleChanged) {
                        agent.tokenEpoch++;
                    }
                    Uni<Void> release = deactivated ? chats.releaseAllHeldBy(agent, actor) : Uni.createFrom().voidItem();
                    // The agent's open sockets were authorised for the old state: close them on every instance.
                    Uni<Void> effects = deactivated || roleChanged
                            ? release.chain(() -> outbox.disconnect(agent.workspaceId, agent.id))
                            : release;
                    return agent.<Agent>persistAndFlush().chain(() -> effects).replaceWith(agent);
                }))
                // A new limit or a reactivation may make waiting chats assignable (deactivation wakes routing by its custody changes).
                .invoke(agent -> {
                    if (change.changesMaxChats() || Boolean.TRUE.equals(change.active())) {
                        router.wake(agent.workspaceId);
                    }
                })
                .map(AgentView::of);
    }

    private static Agent byId(List<Agent> agents, UUID id) {
        return agents.stream().filter(a -> a.id.equals(id)).findFirst().orElse(null);
    }

    /**
     * The row is locked before it is read: an unlocked copy written back here would undo a concurrent
     * deactivation or demotion (every column is written), and an agent deactivated meanwhile is refused.
     */
    public Uni<AgentView> setAvailability(Caller caller, Availability availability) {
        return Panache.withTransaction(() -> actors.requireLocked(caller).invoke(agent -> agent.availability = availability))
                .invoke(agent -> {
                    if (availability == Availability.ONLINE) {
                        router.wake(agent.workspaceId);
                    }
                })
                .map(AgentView::of);
    }
}
