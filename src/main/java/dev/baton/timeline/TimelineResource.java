package dev.baton.timeline;

import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestResponse;

import dev.baton.auth.CurrentCaller;
import dev.baton.common.Params;
import dev.baton.common.RequestChecks;
import dev.baton.timeline.TimelineRequests.NewNote;
import dev.baton.timeline.TimelineRequests.Reply;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/chats/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class TimelineResource {

    private final TimelineService timeline;
    private final CurrentCaller caller;

    public TimelineResource(TimelineService timeline, CurrentCaller caller) {
        this.timeline = timeline;
        this.caller = caller;
    }

    /** The way to catch up: entries with seq greater than {@code after}, in seq order. */
    @GET
    @Path("/timeline")
    public Uni<TimelinePage> read(@PathParam("id") String id, @QueryParam("after") String after, @QueryParam("limit") String limit) {
        return timeline.read(caller.get(), Params.chatId(id), Params.nonNegative("after", after), Params.limit(limit, 100));
    }

    @GET
    @Path("/custody")
    public Uni<TimelinePage> custody(@PathParam("id") String id) {
        return timeline.custody(caller.get(), Params.chatId(id));
    }

    @POST
    @Path("/messages")
    public Uni<RestResponse<EntryView>> reply(@PathParam("id") String id, Reply request) {
        RequestChecks.requireBody("request", request);
        return timeline.reply(caller.get(), Params.chatId(id), request)
                .map(posted -> RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, posted.entry())
                        .header("Idempotent-Replayed", Boolean.toString(!posted.created())).build());
    }

    @POST
    @Path("/notes")
    @ResponseStatus(201)
    public Uni<EntryView> note(@PathParam("id") String id, NewNote request) {
        RequestChecks.requireBody("request", request);
        return timeline.note(caller.get(), Params.chatId(id), request.text());
    }
}
