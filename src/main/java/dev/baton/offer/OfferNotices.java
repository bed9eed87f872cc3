package dev.baton.offer;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.baton.agent.Agent;
import dev.baton.chat.Chat;
import dev.baton.chat.ChatRepository;
import dev.baton.offer.OfferEvents.ChatOfferUpdated;
import dev.baton.offer.OfferEvents.OfferChanged;
import dev.baton.realtime.Audience;
import dev.baton.realtime.Envelope.Performer;
import dev.baton.realtime.Outbox;
import dev.baton.realtime.Outbox.Delivery;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who is told of an offer (PRODUCT.md): {@code offer.created} the target and the holder; an outcome
 * the offerer, the target and the holder; owners and managers {@code chat.updated}. Written in the
 * offer's transaction under the chat's lock, so the frames carry the chat's current seq and keep
 * their place among the chat's other events.
 */
@ApplicationScoped
class OfferNotices {

    private final Outbox outbox;
    private final ChatRepository chats;

    OfferNotices(Outbox outbox, ChatRepository chats) {
        this.outbox = outbox;
        this.chats = chats;
    }

    /**
     * @param supervisors whether owners and managers get {@code chat.updated} here: not when the offer
     *                    ends with a custody change, whose own {@code chat.updated} tells them
     */
    Uni<Void> publish(Chat chat, Offer offer, Agent performer, OffsetDateTime at, boolean supervisors) {
        OfferView view = OfferView.of(offer);
        Set<UUID> told = new LinkedHashSet<>();
        if (offer.status != OfferStatus.PENDING) {
            told.add(offer.fromAgentId);
        }
        told.add(offer.toAgentId);
        if (chat.holderId != null) {
            told.add(chat.holderId);
        }
        List<Delivery> deliveries = new ArrayList<>(told.size() + 1);
        OfferChanged changed = OfferChanged.of(view);
        told.forEach(agent -> deliveries.add(new Delivery(Audience.AGENT, agent, changed)));
        Outbox.Source source = new Outbox.Source(chat.workspaceId, chat.id, chat.lastSeq, at,
                performer == null ? null : new Performer(performer.id, performer.username));
        if (!supervisors) {
            return outbox.publish(source, deliveries);
        }
        return chats.view(chat).chain(chatView -> {
            deliveries.add(new Delivery(Audience.SUPERVISORS, null, new ChatOfferUpdated(chatView, view)));
            return outbox.publish(source, deliveries);
        });
    }
}
