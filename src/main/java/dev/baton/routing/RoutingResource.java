package dev.baton.routing;

import java.util.List;

import org.jboss.resteasy.reactive.ResponseStatus;

import dev.baton.auth.CurrentCaller;
import dev.baton.common.Params;
import dev.baton.common.RequestChecks;
import dev.baton.routing.RoutingRequests.Members;
import dev.baton.routing.RoutingRequests.NewTeam;
import dev.baton.routing.RoutingRequests.Settings;
import dev.baton.routing.RoutingRequests.TeamPatch;
import dev.baton.routing.RoutingViews.Queue;
import dev.baton.routing.RoutingViews.SettingsView;
import dev.baton.routing.RoutingViews.TeamView;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Teams, routing settings and the queue (PRODUCT.md Part 2, "Routing"). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RoutingResource {

    private final TeamService teams;
    private final RoutingService routing;
    private final CurrentCaller caller;

    public RoutingResource(TeamService teams, RoutingService routing, CurrentCaller caller) {
        this.teams = teams;
        this.routing = routing;
        this.caller = caller;
    }

    @GET
    @Path("/teams")
    public Uni<List<TeamView>> teams() {
        return teams.list(caller.get());
    }

    @POST
    @Path("/teams")
    @ResponseStatus(201)
    public Uni<TeamView> createTeam(NewTeam request) {
        RequestChecks.requireBody("request", request);
        return teams.create(caller.get(), request);
    }

    @PATCH
    @Path("/teams/{id}")
    public Uni<TeamView> renameTeam(@PathParam("id") String id, TeamPatch request) {
        RequestChecks.requireBody("request", request);
        return teams.rename(caller.get(), Params.teamId(id), request);
    }

    @PUT
    @Path("/teams/{id}/members")
    public Uni<TeamView> members(@PathParam("id") String id, Members request) {
        RequestChecks.requireBody("request", request);
        return teams.setMembers(caller.get(), Params.teamId(id), request);
    }

    @GET
    @Path("/routing")
    public Uni<SettingsView> settings() {
        return routing.settings(caller.get());
    }

    @PUT
    @Path("/routing")
    public Uni<SettingsView> updateSettings(Settings request) {
        RequestChecks.requireBody("request", request);
        return routing.update(caller.get(), request);
    }

    @GET
    @Path("/queue")
    public Uni<Queue> queue(@QueryParam("teamId") String teamId, @QueryParam("limit") String limit) {
        return routing.queue(caller.get(), Params.uuid("teamId", teamId), Params.limit(limit, 50));
    }
}
