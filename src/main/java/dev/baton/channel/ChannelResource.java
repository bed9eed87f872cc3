package dev.baton.channel;

import java.util.List;

import org.jboss.resteasy.reactive.ResponseStatus;

import dev.baton.auth.CurrentCaller;
import dev.baton.channel.ChannelRequests.ChannelPatch;
import dev.baton.channel.ChannelRequests.NewChannel;
import dev.baton.common.Params;
import dev.baton.common.RequestChecks;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** WhatsApp Cloud API channels (OWNER). accessToken and appSecret are write-only. */
@Path("/api/v1/channels")
@Produces(MediaType.APPLICATION_JSON)
public class ChannelResource {

    private final ChannelService channels;
    private final CurrentCaller caller;

    public ChannelResource(ChannelService channels, CurrentCaller caller) {
        this.channels = channels;
        this.caller = caller;
    }

    @POST
    @ResponseStatus(201)
    public Uni<ChannelView> create(NewChannel request) {
        RequestChecks.requireBody("request", request);
        return channels.create(caller.get(), request);
    }

    @GET
    public Uni<List<ChannelView>> list() {
        return channels.list(caller.get());
    }

    @GET
    @Path("/{id}")
    public Uni<ChannelView> get(@PathParam("id") String id) {
        return channels.get(caller.get(), Params.channelId(id));
    }

    @PATCH
    @Path("/{id}")
    public Uni<ChannelView> update(@PathParam("id") String id, ChannelPatch patch) {
        RequestChecks.requireBody("patch", patch);
        return channels.update(caller.get(), Params.channelId(id), patch);
    }
}
