package dev.baton.offer;

import dev.baton.auth.CurrentCaller;
import dev.baton.common.Params;
import dev.baton.offer.ChatOfferResource.OfferPage;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Offers as their target and offerer see them: list, read, accept, decline, cancel. */
@Path("/api/v1/offers")
@Produces(MediaType.APPLICATION_JSON)
public class OfferResource {

    private final OfferService offers;
    private final CurrentCaller caller;

    public OfferResource(OfferService offers, CurrentCaller caller) {
        this.offers = offers;
        this.caller = caller;
    }

    /** The caller's offers, as target or offerer. */
    @GET
    public Uni<OfferPage> mine(@QueryParam("status") String status, @QueryParam("limit") String limit) {
        return offers.mine(caller.get(), Params.enumName("status", status, OfferStatus.class), Params.limit(limit, 50)).map(OfferPage::new);
    }

    @GET
    @Path("/{id}")
    public Uni<OfferView> get(@PathParam("id") String id) {
        return offers.get(caller.get(), Params.offerId(id));
    }

    @POST
    @Path("/{id}/accept")
    public Uni<OfferView> accept(@PathParam("id") String id) {
        return offers.accept(caller.get(), Params.offerId(id));
    }

    @POST
    @Path("/{id}/decline")
    public Uni<OfferView> decline(@PathParam("id") String id, OfferRequests.Decline body) {
        return offers.decline(caller.get(), Params.offerId(id), body == null ? null : body.reason());
    }

    @POST
    @Path("/{id}/cancel")
    public Uni<OfferView> cancel(@PathParam("id") String id) {
        return offers.cancel(caller.get(), Params.offerId(id));
    }
}
