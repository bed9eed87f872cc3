package dev.baton.chat;

import java.util.UUID;

import org.jboss.resteasy.reactive.RestResponse;

import dev.baton.auth.CurrentCaller;
import dev.baton.chat.ChatRequests.Note;
import dev.baton.chat.ChatRequests.Transfer;
import dev.baton.chat.ChatService.Transition;
import dev.baton.common.Cursor;
import dev.baton.common.Params;
import dev.baton.common.RequestChecks;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Chats and their custody transitions. Every chat response carries {@code ETag: "<version>"}. */
@Path("/api/v1/chats")
@Produces(MediaType.APPLICATION_JSON)
public class ChatResource {

    private final ChatService chats;
    private final CurrentCaller caller;

    public ChatResource(ChatService chats, CurrentCaller caller) {
        this.chats = chats;
        this.caller = caller;
    }

    @GET
    public Uni<ChatPage> list(@QueryParam("status") String status, @QueryParam("holderId") String holderId,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return chats.list(caller.get(), Params.enumName("status", status, ChatStatus.class), Params.uuid("holderId", holderId),
                Params.limit(limit, 50), cursor == null || cursor.isEmpty() ? null : Cursor.decode(cursor));
    }

    @GET
    @Path("/{id}")
    public Uni<RestResponse<ChatView>> get(@PathParam("id") String id) {
        return chats.get(caller.get(), Params.chatId(id)).map(ChatResource::withETag);
    }

    @POST
    @Path("/{id}/intervene")
    public Uni<RestResponse<ChatView>> intervene(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        return simple(Params.chatId(id), CustodyAction.INTERVENE, null, ifMatch);
    }

    @POST
    @Path("/{id}/takeover")
    public Uni<RestResponse<ChatView>> takeOver(@PathParam("id") String id, Note body, @HeaderParam("If-Match") String ifMatch) {
        return simple(Params.chatId(id), CustodyAction.TAKEOVER, body, ifMatch);
    }

    @POST
    @Path("/{id}/transfer")
    public Uni<RestResponse<ChatView>> transfer(@PathParam("id") String id, Transfer body,
            @HeaderParam("If-Match") String ifMatch) {
        RequestChecks.requireBody("body", body);
        if (body.toTeamId() != null) {
            return chats.transferToTeam(caller.get(), Params.chatId(id), body.toTeamId(), body.note(), Params.ifMatch(ifMatch))
                    .map(ChatResource::withETag);
        }
        Transition t = new Transition(CustodyAction.TRANSFER, body.toAgentId(), Boolean.TRUE.equals(body.force()), body.note(),
                Params.ifMatch(ifMatch));
        return chats.transition(caller.get(), Params.chatId(id), t).map(ChatResource::withETag);
    }

    @POST
    @Path("/{id}/release")
    public Uni<RestResponse<ChatView>> release(@PathParam("id") String id, Note body, @HeaderParam("If-Match") String ifMatch) {
        return simple(Params.chatId(id), CustodyAction.RELEASE, body, ifMatch);
    }

    @POST
    @Path("/{id}/resolve")
    public Uni<RestResponse<ChatView>> resolve(@PathParam("id") String id, Note body, @HeaderParam("If-Match") String ifMatch) {
        return simple(Params.chatId(id), CustodyAction.RESOLVE, body, ifMatch);
    }

    @POST
    @Path("/{id}/reopen")
    public Uni<RestResponse<ChatView>> reopen(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        return simple(Params.chatId(id), CustodyAction.REOPEN, null, ifMatch);
    }

    private Uni<RestResponse<ChatView>> simple(UUID id, CustodyAction action, Note body, String ifMatch) {
        Transition t = new Transition(action, null, false, body == null ? null : body.note(), Params.ifMatch(ifMatch));
        return chats.transition(caller.get(), id, t).map(ChatResource::withETag);
    }

    static RestResponse<ChatView> withETag(ChatView chat) {
        return RestResponse.ResponseBuilder.ok(chat).header("ETag", "\"" + chat.version() + "\"").build();
    }
}
