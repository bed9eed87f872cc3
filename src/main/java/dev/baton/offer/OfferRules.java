package dev.baton.offer;

import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import dev.baton.agent.Availability;
import dev.baton.chat.ChatStatus;
import dev.baton.chat.Custody.Actor;
import dev.baton.chat.Custody.Target;
import dev.baton.common.Refusal;
import dev.baton.common.Refusal.Code;

/**
 * The offer rules, and nothing else (the shape of chat/Custody): who may offer a chat to whom, and
 * who may accept, decline or cancel an offer while it stands. Pure, unit-tested as a table.
 *
 * <p>Checks run in a fixed order, which decides the refusal when several apply: who acts
 * (not-chat-holder, forbidden), the chat's status (invalid-transition), a standing offer
 * (offer-pending, offer-not-pending), then the target (agent-not-found, same-holder, agent-offline).
 * An offer past its {@code expiresAt} no longer stands, even before the sweeper has recorded it.
 */
public final class OfferRules {

    /** Statuses a chat can be offered from: someone holds it, or it waits in the queue. */
    static final Set<ChatStatus> OFFERABLE = EnumSet.of(ChatStatus.INTERVENED, ChatStatus.REQUESTING);

    private OfferRules() {
    }

    /** May {@code actor} offer the chat to {@code target}? {@code pending}: the chat already has a standing offer. */
    public static void offer(ChatStatus status, UUID holder, Actor actor, Target target, boolean pending) {
        if (!actor.role().supervises() && !actor.id().equals(holder)) {
            throw new Refusal(Code.NOT_CHAT_HOLDER, "Only the agent holding the chat, an owner or a manager may offer it.");
        }
        if (!OFFERABLE.contains(status)) {
            throw new Refusal(Code.INVALID_TRANSITION, "Cannot offer a chat that is " + status + ".");
        }
        if (pending) {
            throw new Refusal(Code.OFFER_PENDING, "This chat already has a pending offer; cancel it first.");
        }
        if (target == null || !target.active()) {
            throw new Refusal(Code.AGENT_NOT_FOUND, "No such active agent in this workspace.");
        }
        if (target.id().equals(holder)) {
            throw new Refusal(Code.SAME_HOLDER, "The target agent already holds this chat.");
        }
        if (target.availability() == Availability.OFFLINE) {
            throw new Refusal(Code.AGENT_OFFLINE, "The target agent is OFFLINE and could only let the offer expire.");
        }
    }

    /** Accept or decline: the target only, while the offer stands. */
    public static void answer(Offer offer, Actor actor, OffsetDateTime now) {
        if (!actor.id().equals(offer.toAgentId)) {
            throw new Refusal(Code.FORBIDDEN, "Only the agent the chat is offered to may accept or decline it.");
        }
        standing(offer, now);
    }

    /** Cancel: the offerer, an owner or a manager, while the offer stands. */
    public static void cancel(Offer offer, Actor actor, OffsetDateTime now) {
        if (!actor.role().supervises() && !actor.id().equals(offer.fromAgentId)) {
            throw new Refusal(Code.FORBIDDEN, "Only the offerer, an owner or a manager may cancel an offer.");
        }
        standing(offer, now);
    }

    /** Supervisors see every offer; an agent the offers it made or received and those on the chat it holds. */
    public static boolean visible(Offer offer, Actor actor, UUID holder) {
        return actor.role().supervises() || actor.id().equals(offer.fromAgentId) || actor.id().equals(offer.toAgentId)
                || actor.id().equals(holder);
    }

    static boolean expired(Offer offer, OffsetDateTime now) {
        return !now.isBefore(offer.expiresAt);
    }

    private static void standing(Offer offer, OffsetDateTime now) {
        if (offer.status != OfferStatus.PENDING) {
            throw new Refusal(Code.OFFER_NOT_PENDING, "The offer is " + offer.status + ", no longer pending.");
        }
        if (expired(offer, now)) {
            throw new Refusal(Code.OFFER_NOT_PENDING, "The offer expired at " + offer.expiresAt + ".");
        }
    }
}
