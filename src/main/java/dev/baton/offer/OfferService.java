package dev.baton.offer;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.baton.agent.Actors;
import dev.baton.agent.Agent;
import dev.baton.auth.Caller;
import dev.baton.chat.Chat;
import dev.baton.chat.ChatRepository;
import dev.baton.chat.ChatService;
import dev.baton.chat.Custody;
import dev.baton.common.Refusal;
import dev.baton.common.Refusal.Code;
import dev.baton.problem.ApiException;
import dev.baton.realtime.Outbox;
import dev.baton.routing.Capacity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * Offers: made, answered, cancelled, listed. Every write locks the offer's chat before it reads the
 * offer, exactly like a custody change, so an offer's outcome, the chat's custody changes and a
 * second offer are one serial history per chat: whichever commits first wins, and the others see
 * its outcome and are refused precisely.
 */
@ApplicationScoped
public class OfferService {

    static final Duration DEFAULT_EXPIRES_IN = Duration.ofSeconds(60);
    static final Duration MAX_EXPIRES_IN = Duration.ofHours(1);

    private final Outbox outbox;
    private final Actors actors;
    private final ChatRepository chats;
    private final ChatService custody;
    private final OfferNotices notices;
    private final OfferExpiry expiry;
    private final Capacity capacity;
    private final Duration minExpiresIn;

    public OfferService(Outbox outbox, Actors actors, ChatRepository chats, ChatService custody, OfferNotices notices,
            OfferExpiry expiry, Capacity capacity, @ConfigProperty(name = "baton.offers.min-expires-in") Duration minExpiresIn) {
        this.outbox = outbox;
        this.actors = actors;
        this.chats = chats;
        this.custody = custody;
        this.notices = notices;
        this.expiry = expiry;
        this.capacity = capacity;
        this.minExpiresIn = minExpiresIn;
    }

    /** An offer found under its chat's lock. */
    private record Located(Chat chat, Offer offer, Agent actor) {
    }

    public Uni<OfferView> create(Caller caller, UUID chatId, OfferRequests.Create request) {
        Duration expiresIn = request.expiresInDuration() == null ? DEFAULT_EXPIRES_IN : request.expiresInDuration();
        if (expiresIn.compareTo(minExpiresIn) < 0 || expiresIn.compareTo(MAX_EXPIRES_IN) > 0) {
            throw ApiException.invalid("expiresIn: must be between " + minExpiresIn + " and " + MAX_EXPIRES_IN);
        }
        return outbox.transaction(() -> actors.require(caller).chain(actor -> Agent.<Agent>findById(request.toAgentId())
                .map(t -> t != null && t.workspaceId.equals(actor.workspaceId) ? t : null)
                // The target's load is counted before the chat is locked (Capacity's lock order); accepting counts again.
                .chain(target -> (target == null || !target.active ? Uni.createFrom().<Capacity.Load>nullItem() : capacity.lock(target))
                .chain(load -> chats.lockInWorkspace(actor.workspaceId, chatId).chain(chat -> pending(chat).chain(pending -> {
                    OffsetDateTime now = now();
                    boolean due = pending != null && OfferRules.expired(pending, now);
                    OfferRules.offer(chat.status, chat.holderId, rulesActor(actor),
                            target == null ? null : new Custody.Target(target.id, target.active, target.availability),
                            pending != null && !due);
                    requireRoom(target, load);
                    Offer offer = Offer.of(chat, actor, target, request.note(), now, now.plus(expiresIn));
                    // A standing offer past its deadline is recorded as expired first (its row must leave PENDING before the new one).
                    Uni<Void> previous = due ? expiry.expire(chat, pending, now, true).call(() -> Panache.getSession().chain(s -> s.flush()))
                            : Uni.createFrom().voidItem();
                    chat.offerPending = true;
                    return previous.chain(() -> offer.persist()).chain(() -> notices.publish(chat, offer, actor, now, true)).replaceWith(offer);
                }))))))
                .map(OfferView::of);
    }

    /** The target takes the chat: the offer ends ACCEPTED and custody moves, in one transaction. */
    public Uni<OfferView> accept(Caller caller, UUID offerId) {
        // The target becomes the holder: share-locked against a concurrent deactivation, then its load row, then the chat
        // (ChatService's and Capacity's lock order), so racing accepts, transfers and assignments cannot pass its limit.
        return outbox.transaction(() -> actors.requireForCustody(caller).chain(actor -> capacity.lock(actor)
                .chain(load -> locate(actor, offerId).chain(found -> {
                    Offer offer = found.offer();
                    OffsetDateTime now = now();
                    OfferRules.answer(offer, rulesActor(actor), now);
                    requireRoom(actor, load);
                    offer.end(found.chat(), OfferStatus.ACCEPTED, actor, null, now);
                    // offer.accepted first: the previous holder hears of it before chat.revoked, after which nothing of the chat reaches it.
                    return notices.publish(found.chat(), offer, actor, now, false)
                            .chain(() -> Agent.<Agent>findById(offer.fromAgentId))
                            .chain(offerer -> custody.acceptOffer(found.chat(), offerer, actor, offer.id, offer.note))
                            .replaceWith(offer);
                })))).map(OfferView::of);
    }

    public Uni<OfferView> decline(Caller caller, UUID offerId, String reason) {
        return end(caller, offerId, OfferStatus.DECLINED, reason);
    }

    public Uni<OfferView> cancel(Caller caller, UUID offerId) {
        return end(caller, offerId, OfferStatus.CANCELLED, null);
    }

    private Uni<OfferView> end(Caller caller, UUID offerId, OfferStatus outcome, String reason) {
        return outbox.transaction(() -> actors.require(caller).chain(actor -> locate(actor, offerId)).chain(found -> {
            Offer offer = found.offer();
            OffsetDateTime now = now();
            if (outcome == OfferStatus.DECLINED) {
                OfferRules.answer(offer, rulesActor(found.actor()), now);
            } else {
                OfferRules.cancel(offer, rulesActor(found.actor()), now);
            }
            offer.end(found.chat(), outcome, found.actor(), reason, now);
            return notices.publish(found.chat(), offer, found.actor(), now, true).replaceWith(offer);
        })).map(OfferView::of);
    }

    public Uni<OfferView> get(Caller caller, UUID offerId) {
        return Panache.withSession(() -> actors.require(caller).chain(actor -> Offer.<Offer>findById(offerId)
                .chain(offer -> offer == null || !offer.workspaceId.equals(actor.workspaceId) ? Uni.createFrom().failure(notFound())
                        : Chat.<Chat>findById(offer.chatId).map(chat -> {
                            if (!OfferRules.visible(offer, rulesActor(actor), chat.holderId)) {
                                throw notFound();
                            }
                            return OfferView.of(offer);
                        }))));
    }

    /** The chat's offers, newest first, for whoever may read the chat. */
    public Uni<List<OfferView>> ofChat(Caller caller, UUID chatId, int limit) {
        return Panache.withSession(() -> actors.require(caller).chain(actor -> chats.visible(actor, chatId))
                .chain(chat -> Offer.<Offer>find("chatId = ?1 order by createdAt desc, id", chat.id).range(0, limit - 1).list())
                .map(offers -> offers.stream().map(OfferView::of).toList()));
    }

    /** The caller's offers (as target or offerer), newest first. */
    public Uni<List<OfferView>> mine(Caller caller, OfferStatus status, int limit) {
        return Panache.withSession(() -> actors.require(caller).chain(actor -> (status == null
                ? Offer.<Offer>find("(toAgentId = ?1 or fromAgentId = ?1) order by createdAt desc, id", actor.id)
                : Offer.<Offer>find("(toAgentId = ?1 or fromAgentId = ?1) and status = ?2 order by createdAt desc, id", actor.id, status))
                .range(0, limit - 1).list())
                .map(offers -> offers.stream().map(OfferView::of).toList()));
    }

    /**
     * The offer with its chat locked, then the offer itself locked and read fresh: the chat's id is
     * read without loading the offer, as an offer already in the session would not be read again.
     */
    private Uni<Located> locate(Agent actor, UUID offerId) {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery("select o.chatId from Offer o where o.id = ?1 and o.workspaceId = ?2",
                        UUID.class).setParameter(1, offerId).setParameter(2, actor.workspaceId).getSingleResultOrNull())
                .chain(chatId -> {
                    if (chatId == null) {
                        throw notFound();
                    }
                    return chats.lockInWorkspace(actor.workspaceId, chatId);
                })
                .chain(chat -> Offer.<Offer>findById(offerId, LockModeType.PESSIMISTIC_WRITE).map(offer -> {
                    if (!OfferRules.visible(offer, rulesActor(actor), chat.holderId)) {
                        throw notFound();
                    }
                    return new Located(chat, offer, actor);
                }));
    }

    /** The target takes the chat for itself: an AGENT within its limit, owners and managers never limited (PRODUCT.md). */
    private static void requireRoom(Agent target, Capacity.Load load) {
        if (load != null && Capacity.limits(target.role, true, false)) {
            load.requireRoom();
        }
    }

    /** The chat's PENDING offer, locked; the chat is locked by the caller. */
    static Uni<Offer> pending(Chat chat) {
        return !chat.offerPending ? Uni.createFrom().nullItem()
                : Offer.<Offer>find("chatId = ?1 and status = ?2", chat.id, OfferStatus.PENDING).withLock(LockModeType.PESSIMISTIC_WRITE)
                        .firstResult();
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static Custody.Actor rulesActor(Agent agent) {
        return new Custody.Actor(agent.id, agent.role);
    }

    private static Refusal notFound() {
        return new Refusal(Code.OFFER_NOT_FOUND, "No such offer in this workspace.");
    }
}
