package dev.baton.webhook;

import java.util.List;

import org.jboss.resteasy.reactive.ResponseStatus;

import dev.baton.auth.CurrentCaller;
import dev.baton.common.Cursor;
import dev.baton.common.Params;
import dev.baton.common.RequestChecks;
import dev.baton.problem.ApiException;
import dev.baton.webhook.WebhookRequests.NewWebhook;
import dev.baton.webhook.WebhookRequests.WebhookPatch;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Outbound webhook endpoints and their delivery log (OWNER). The secret appears only in create and rotate-secret. */
@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private static final List<String> STATUSES = List.of(WebhookDelivery.PENDING, WebhookDelivery.SENDING, WebhookDelivery.DELIVERED,
            WebhookDelivery.FAILED);

    private final WebhookService webhooks;
    private final CurrentCaller caller;

    public WebhookResource(WebhookService webhooks, CurrentCaller caller) {
        this.webhooks = webhooks;
        this.caller = caller;
    }

    @POST
    @ResponseStatus(201)
    public Uni<WebhookView> create(NewWebhook request) {
        RequestChecks.requireBody("request", request);
        return webhooks.create(caller.get(), request);
    }

    @GET
    public Uni<List<WebhookView>> list() {
        return webhooks.list(caller.get());
    }

    @GET
    @Path("/{id}")
    public Uni<WebhookView> get(@PathParam("id") String id) {
        return webhooks.get(caller.get(), Params.webhookId(id));
    }

    @PATCH
    @Path("/{id}")
    public Uni<WebhookView> update(@PathParam("id") String id, WebhookPatch patch) {
        RequestChecks.requireBody("patch", patch);
        return webhooks.update(caller.get(), Params.webhookId(id), patch);
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") String id) {
        return webhooks.delete(caller.get(), Params.webhookId(id));
    }

    @POST
    @Path("/{id}/rotate-secret")
    public Uni<WebhookView> rotateSecret(@PathParam("id") String id) {
        return webhooks.rotateSecret(caller.get(), Params.webhookId(id));
    }

    @GET
    @Path("/{id}/deliveries")
    public Uni<DeliveryView.Page> deliveries(@PathParam("id") String id, @QueryParam("status") String status,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        if (status != null && !status.isEmpty() && !STATUSES.contains(status)) {
            throw ApiException.invalid("status: must be one of " + STATUSES);
        }
        return webhooks.deliveries(caller.get(), Params.webhookId(id), status == null || status.isEmpty() ? null : status,
                Params.limit(limit, 50), cursor == null || cursor.isEmpty() ? null : Cursor.decode(cursor));
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/replay")
    public Uni<DeliveryView> replay(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return webhooks.replay(caller.get(), Params.webhookId(id), Params.webhookId(deliveryId));
    }
}
