package dev.baton.offer;

import java.time.OffsetDateTime;

import dev.baton.agent.Agent;
import dev.baton.chat.Chat;
import dev.baton.chat.Custody;
import dev.baton.chat.CustodyListener;
import dev.baton.chat.ReadGrant;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What a standing offer means to the rest of the chat: any custody change other than its own
 * acceptance cancels it (in the change's transaction, told before the change's own events), and
 * its target may read the chat meanwhile.
 */
@ApplicationScoped
class PendingOffers implements CustodyListener, ReadGrant {

    private final OfferNotices notices;
    private final OfferExpiry expiry;

    PendingOffers(OfferNotices notices, OfferExpiry expiry) {
        this.notices = notices;
        this.expiry = expiry;
    }

    @Override
    public Uni<Void> custodyChanging(Chat chat, Agent actor, Custody.Decision decision) {
        // An accepted offer is no longer pending when its own TRANSFER passes here.
        return OfferService.pending(chat).chain(offer -> {
            if (offer == null || offer.status != OfferStatus.PENDING) {
                return Uni.createFrom().voidItem();
            }
            OffsetDateTime now = OfferService.now();
            if (OfferRules.expired(offer, now)) {
                return expiry.expire(chat, offer, now, false);
            }
            offer.end(chat, OfferStatus.CANCELLED, actor, decision.entry().change().name(), now);
            return notices.publish(chat, offer, actor, now, false);
        });
    }

    @Override
    public Uni<Boolean> mayRead(Agent actor, Chat chat) {
        if (!chat.offerPending) {
            return Uni.createFrom().item(false);
        }
        return Offer.count("chatId = ?1 and toAgentId = ?2 and status = ?3 and expiresAt > ?4", chat.id, actor.id, OfferStatus.PENDING,
                OfferService.now()).map(n -> n > 0);
    }
}
