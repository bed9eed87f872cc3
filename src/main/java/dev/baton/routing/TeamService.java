package dev.baton.routing;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.baton.agent.Actors;
import dev.baton.agent.Agent;
import dev.baton.auth.Caller;
import dev.baton.problem.ApiException;
import dev.baton.routing.RoutingRequests.Members;
import dev.baton.routing.RoutingRequests.NewTeam;
import dev.baton.routing.RoutingRequests.TeamPatch;
import dev.baton.routing.RoutingViews.TeamView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Teams and their members: every staff member may list them, owners and managers change them. */
@ApplicationScoped
public class TeamService {

    private final Actors actors;
    private final Router router;

    public TeamService(Actors actors, Router router) {
        this.actors = actors;
        this.router = router;
    }

    public Uni<List<TeamView>> list(Caller caller) {
        return Panache.withSession(() -> actors.require(caller).chain(actor -> Team.<Team>list(
                "workspaceId = ?1 order by lower(name), id", actor.workspaceId).chain(teams -> views(teams))));
    }

    public Uni<TeamView> create(Caller caller, NewTeam request) {
        return Panache.withTransaction(() -> supervisor(caller).chain(actor -> nameFree(actor.workspaceId, request.name(), null)
                .chain(() -> {
                    Team team = new Team();
                    team.id = UUID.randomUUID();
                    team.workspaceId = actor.workspaceId;
                    team.name = request.name();
                    team.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return team.<Team>persistAndFlush();
                })
                .map(team -> new TeamView(team.id, team.name, List.of(), team.createdAt))));
    }

    public Uni<TeamView> rename(Caller caller, UUID teamId, TeamPatch patch) {
        return Panache.withTransaction(() -> supervisor(caller).chain(actor -> find(actor, teamId)).chain(team -> {
            if (patch.name() == null) {
                return view(team);
            }
            return nameFree(team.workspaceId, patch.name(), team.id).chain(() -> {
                team.name = patch.name();
                return team.<Team>persistAndFlush();
            }).chain(this::view);
        }));
    }

    /** Replaces the member list; new members may make waiting chats of the team assignable. */
    public Uni<TeamView> setMembers(Caller caller, UUID teamId, Members request) {
        Set<UUID> ids = new LinkedHashSet<>(request.agentIds());
        return Panache.withTransaction(() -> supervisor(caller).chain(actor -> find(actor, teamId))
                .call(team -> ids.isEmpty() ? Uni.createFrom().voidItem()
                        : Agent.count("workspaceId = ?1 and id in ?2", team.workspaceId, List.copyOf(ids)).invoke(found -> {
                            if (found != ids.size()) {
                                throw ApiException.agentNotFound();
                            }
                        }))
                .call(team -> Panache.getSession().chain(session -> {
                    Uni<Integer> steps = session.createNativeQuery("delete from team_member where team_id = ?1")
                            .setParameter(1, team.id).executeUpdate();
                    for (UUID agentId : ids) {
                        steps = steps.chain(() -> session.createNativeQuery("insert into team_member (team_id, agent_id) values (?1, ?2)")
                                .setParameter(1, team.id).setParameter(2, agentId).executeUpdate());
                    }
                    return steps;
                }))
                .chain(this::view))
                .invoke(() -> router.wake(caller.workspaceId()));
    }

    private Uni<Agent> supervisor(Caller caller) {
        return actors.require(caller).invoke(actor -> {
            if (!actor.role.supervises()) {
                throw ApiException.forbidden("Only owners and managers manage teams.");
            }
        });
    }

    private static Uni<Team> find(Agent actor, UUID teamId) {
        return Team.<Team>findById(teamId).map(team -> {
            if (team == null || !team.workspaceId.equals(actor.workspaceId)) {
                throw ApiException.teamNotFound();
            }
            return team;
        });
    }

    private static Uni<Void> nameFree(UUID workspaceId, String name, UUID except) {
        return Team.count("workspaceId = ?1 and lower(name) = lower(?2) and id <> ?3", workspaceId, name,
                except == null ? new UUID(0, 0) : except).map(n -> {
                    if (n > 0) {
                        throw ApiException.conflict("conflict", "name: '" + name + "' is already a team of this workspace");
                    }
                    return null;
                });
    }

    private Uni<TeamView> view(Team team) {
        return views(List.of(team)).map(list -> list.get(0));
    }

    private static Uni<List<TeamView>> views(List<Team> teams) {
        if (teams.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<UUID> ids = teams.stream().map(t -> t.id).toList();
        return Panache.getSession().chain(session -> session
                .createNativeQuery("select team_id, agent_id from team_member where team_id in (?1) order by agent_id", Object[].class)
                .setParameter(1, ids).getResultList())
                .map(rows -> {
                    Map<UUID, List<UUID>> members = new HashMap<>();
                    for (Object[] row : rows) {
                        members.computeIfAbsent((UUID) row[0], k -> new ArrayList<>()).add((UUID) row[1]);
                    }
                    return teams.stream().map(t -> new TeamView(t.id, t.name, members.getOrDefault(t.id, List.of()), t.createdAt))
                            .toList();
                });
    }
}
