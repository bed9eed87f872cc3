package dev.baton.agent;

import java.util.List;

import org.jboss.resteasy.reactive.ResponseStatus;

import dev.baton.agent.AgentRequests.AgentChange;
import dev.baton.agent.AgentRequests.AvailabilityChange;
import dev.baton.agent.AgentRequests.NewAgent;
import dev.baton.auth.CurrentCaller;
import dev.baton.common.Params;
import dev.baton.common.RequestChecks;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    private final AgentService agents;
    private final CurrentCaller caller;

    public AgentResource(AgentService agents, CurrentCaller caller) {
        this.agents = agents;
        this.caller = caller;
    }

    @GET
    public Uni<List<AgentView>> list() {
        return agents.list(caller.get());
    }

    @POST
    @ResponseStatus(201)
    public Uni<AgentView> create(NewAgent request) {
        RequestChecks.requireBody("request", request);
        return agents.create(caller.get(), request);
    }

    @GET
    @Path("/me")
    public Uni<AgentView> me() {
        return agents.me(caller.get());
    }

    @PUT
    @Path("/me/availability")
    public Uni<AgentView> availability(AvailabilityChange request) {
        RequestChecks.requireBody("request", request);
        return agents.setAvailability(caller.get(), request.availability());
    }

    @PATCH
    @Path("/{id}")
    public Uni<AgentView> change(@PathParam("id") String id, AgentChange request) {
        RequestChecks.requireBody("request", request);
        return agents.change(caller.get(), Params.agentId(id), request);
    }
}
