package dev.baton.webhook;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.baton.agent.Actors;
import dev.baton.agent.Agent;
import dev.baton.agent.Role;
import dev.baton.auth.Caller;
import dev.baton.channel.SecretBox;
import dev.baton.common.Cursor;
import dev.baton.common.Refusal;
import dev.baton.problem.ApiException;
import dev.baton.webhook.WebhookRequests.NewWebhook;
import dev.baton.webhook.WebhookRequests.WebhookPatch;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Webhook endpoints, managed by OWNERs. The secret is generated here, sealed at rest and shown once;
 * a rotation keeps the previous secret signing for {@code rotation-window}, so receivers can switch
 * to the new one without missing a beat (both signatures travel in {@code webhook-signature}).
 */
@ApplicationScoped
public class WebhookService {

    private final Actors actors;
    private final SecretBox secrets;
    private final Destinations destinations;
    private final WebhookSender sender;
    private final Duration rotationWindow;

    public WebhookService(Actors actors, SecretBox secrets, Destinations destinations, WebhookSender sender,
            @ConfigProperty(name = "baton.webhooks.rotation-window") Duration rotationWindow) {
        this.actors = actors;
        this.secrets = secrets;
        this.destinations = destinations;
        this.sender = sender;
        this.rotationWindow = rotationWindow;
    }

    public Uni<WebhookView> create(Caller caller, NewWebhook request) {
        return admit(request.url()).chain(() -> Panache.withTransaction(() -> owner(caller).chain(actor -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            WebhookEndpoint endpoint = new WebhookEndpoint();
            endpoint.id = UUID.randomUUID();
            endpoint.workspaceId = actor.workspaceId;
            endpoint.url = request.url();
            endpoint.description = request.description();
            endpoint.events = String.join(",", request.events());
            String secret = Signature.newSecret();
            endpoint.secret = secrets.seal(secret, WebhookEndpoint.secretContext(endpoint.id, "secret"));
            endpoint.active = true;
            endpoint.createdAt = now;
            endpoint.updatedAt = now;
            return endpoint.persist().replaceWith(WebhookView.of(endpoint, secret));
        })));
    }

    public Uni<List<WebhookView>> list(Caller caller) {
        return Panache.withSession(() -> owner(caller)
                .chain(actor -> WebhookEndpoint.<WebhookEndpoint>list("workspaceId = ?1 order by createdAt, id", actor.workspaceId))
                .map(endpoints -> endpoints.stream().map(e -> WebhookView.of(e, null)).toList()));
    }

    public Uni<WebhookView> get(Caller caller, UUID id) {
        return Panache.withSession(() -> owner(caller).chain(actor -> find(actor, id)).map(e -> WebhookView.of(e, null)));
    }

    public Uni<WebhookView> update(Caller caller, UUID id, WebhookPatch patch) {
        Uni<Void> admitted = patch.url() == null ? Uni.createFrom().voidItem() : admit(patch.url());
        return admitted.chain(() -> Panache.withTransaction(() -> owner(caller).chain(actor -> find(actor, id)).map(endpoint -> {
            if (patch.url() != null) {
                endpoint.url = patch.url();
            }
            if (patch.events() != null) {
                endpoint.events = String.join(",", patch.events());
            }
            if (patch.description() != null) {
                endpoint.description = patch.description();
            }
            if (patch.active() != null) {
                endpoint.active = patch.active();
                if (patch.active()) {
                    endpoint.disabledReason = null;
                }
            }
            endpoint.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
            return WebhookView.of(endpoint, null);
        }))).invoke(sender::wake);
    }

    /** Deletes the endpoint and its delivery log; attempts in flight finish but are recorded nowhere. */
    public Uni<Void> delete(Caller caller, UUID id) {
        return Panache.withTransaction(() -> owner(caller).chain(actor -> find(actor, id)).chain(endpoint -> endpoint.delete()));
    }

    /**
     * A new secret, shown once; the current one becomes the previous one and keeps signing until the
     * window ends. A second rotation inside the window drops the oldest secret.
     */
    public Uni<WebhookView> rotateSecret(Caller caller, UUID id) {
        return Panache.withTransaction(() -> owner(caller).chain(actor -> find(actor, id)).map(endpoint -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            String current = secrets.open(endpoint.secret, WebhookEndpoint.secretContext(endpoint.id, "secret"));
            String next = Signature.newSecret();
            endpoint.previousSecret = secrets.seal(current, WebhookEndpoint.secretContext(endpoint.id, "previousSecret"));
            endpoint.previousSecretUntil = now.plus(rotationWindow);
            endpoint.secret = secrets.seal(next, WebhookEndpoint.secretContext(endpoint.id, "secret"));
            endpoint.updatedAt = now;
            return WebhookView.of(endpoint, next);
        }));
    }

    public Uni<DeliveryView.Page> deliveries(Caller caller, UUID id, String status, int limit, Cursor cursor) {
        return Panache.withSession(() -> owner(caller).chain(actor -> find(actor, id)).chain(endpoint -> {
            StringBuilder q = new StringBuilder("endpointId = :endpoint");
            Map<String, Object> p = new HashMap<>();
            p.put("endpoint", endpoint.id);
            if (status != null) {
                q.append(" and status = :status");
                p.put("status", status);
            }
            if (cursor != null) {
                q.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
                p.put("at", cursor.at());
                p.put("id", cursor.id());
            }
            q.append(" order by createdAt desc, id desc");
            return WebhookDelivery.<WebhookDelivery>find(q.toString(), p).range(0, limit - 1).list().map(found -> {
                String next = found.size() == limit ? new Cursor(found.get(limit - 1).createdAt, found.get(limit - 1).id).encode() : null;
                return new DeliveryView.Page(found.stream().map(DeliveryView::of).toList(), next);
            });
        }));
    }

    /**
     * Sends a delivery again from the first step of the schedule, with the same webhook-id (receivers
     * deduplicate on it). One in flight cannot be replayed until its attempt ends.
     */
    public Uni<DeliveryView> replay(Caller caller, UUID id, UUID deliveryId) {
        return Panache.withTransaction(() -> owner(caller).chain(actor -> find(actor, id)).chain(endpoint -> WebhookDelivery
                .<WebhookDelivery>findById(deliveryId).map(delivery -> {
                    if (delivery == null || !delivery.endpointId.equals(endpoint.id)) {
                        throw notFound();
                    }
                    if (WebhookDelivery.SENDING.equals(delivery.status)) {
                        throw ApiException.conflict("conflict", "This delivery is being attempted right now; replay it once the attempt ends.");
                    }
                    delivery.status = WebhookDelivery.PENDING;
                    delivery.attempts = 0;
                    delivery.dueAt = OffsetDateTime.now(ZoneOffset.UTC);
                    delivery.deliveredAt = null;
                    return DeliveryView.of(delivery);
                }))).invoke(sender::wake);
    }

    private Uni<Void> admit(String url) {
        return destinations.admit(URI.create(url))
                .onFailure(Destinations.Refused.class).transform(e -> ApiException.invalid("url: " + e.getMessage()));
    }

    private static Uni<WebhookEndpoint> find(Agent actor, UUID id) {
        return WebhookEndpoint.<WebhookEndpoint>findById(id).map(endpoint -> {
            if (endpoint == null || !endpoint.workspaceId.equals(actor.workspaceId)) {
                throw notFound();
            }
            return endpoint;
        });
    }

    private static Refusal notFound() {
        return new Refusal(Refusal.Code.WEBHOOK_NOT_FOUND, "No such webhook endpoint or delivery in this workspace.");
    }

    private Uni<Agent> owner(Caller caller) {
        return actors.require(caller).map(actor -> {
            if (actor.role != Role.OWNER) {
                throw ApiException.forbidden("Only owners manage webhooks.");
            }
            return actor;
        });
    }
}
