package dev.baton.offer;

import java.util.List;

import org.jboss.resteasy.reactive.RestResponse;

import dev.baton.auth.CurrentCaller;
import dev.baton.common.Params;
import dev.baton.common.RequestChecks;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** A chat's offers: make one, list them. */
@Path("/api/v1/chats/{id}/offers")
@Produces(MediaType.APPLICATION_JSON)
public class ChatOfferResource {

    private final OfferService offers;
    private final CurrentCaller caller;

    public ChatOfferResource(OfferService offers, CurrentCaller caller) {
        this.offers = offers;
        this.caller = caller;
    }

    @POST
    public Uni<RestResponse<OfferView>> offer(@PathParam("id") String id, OfferRequests.Create body) {
        RequestChecks.requireBody("body", body);
        return offers.create(caller.get(), Params.chatId(id), body).map(offer -> RestResponse.status(RestResponse.Status.CREATED, offer));
    }

    @GET
    public Uni<OfferPage> list(@PathParam("id") String id, @QueryParam("limit") String limit) {
        return offers.ofChat(caller.get(), Params.chatId(id), Params.limit(limit, 50)).map(OfferPage::new);
    }

    /** A list of offers, newest first. */
    public record OfferPage(List<OfferView> items) {
    }
}
