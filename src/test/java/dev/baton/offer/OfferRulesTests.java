package dev.baton.offer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.baton.agent.Availability;
import dev.baton.agent.Role;
import dev.baton.chat.ChatStatus;
import dev.baton.chat.Custody;
import dev.baton.chat.Custody.Actor;
import dev.baton.chat.Custody.Target;
import dev.baton.chat.RevocationReason;
import dev.baton.common.Refusal;

/** The offer rules of PRODUCT.md ("Warm transfer: offers"), written from the contract, refusal by refusal. */
class OfferRulesTests {

    private static final UUID HOLDER = UUID.randomUUID();
    private static final UUID TARGET = UUID.randomUUID();
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final Actor HOLDING_AGENT = new Actor(HOLDER, Role.AGENT);
    private static final Actor MANAGER = new Actor(UUID.randomUUID(), Role.MANAGER);
    private static final Actor OWNER = new Actor(UUID.randomUUID(), Role.OWNER);
    private static final Actor BYSTANDER = new Actor(UUID.randomUUID(), Role.AGENT);
    private static final Actor TARGET_AGENT = new Actor(TARGET, Role.AGENT);
    private static final Target ONLINE = new Target(TARGET, true, Availability.ONLINE);

    @Test
    void shouldLetTheHolderAndSupervisorsOfferAHeldOrQueuedChat() {
        OfferRules.offer(ChatStatus.INTERVENED, HOLDER, HOLDING_AGENT, ONLINE, false);
        OfferRules.offer(ChatStatus.INTERVENED, HOLDER, MANAGER, ONLINE, false);
        OfferRules.offer(ChatStatus.REQUESTING, null, OWNER, ONLINE, false);
        OfferRules.offer(ChatStatus.INTERVENED, HOLDER, HOLDING_AGENT, new Target(TARGET, true, Availability.BUSY), false);
    }

    @Test
    void shouldRefuseEachBadOfferWithItsCode() {
        refused("not-chat-holder", () -> OfferRules.offer(ChatStatus.INTERVENED, HOLDER, BYSTANDER, ONLINE, false));
        refused("not-chat-holder", () -> OfferRules.offer(ChatStatus.REQUESTING, null, BYSTANDER, ONLINE, false));
        for (ChatStatus status : List.of(ChatStatus.OPEN, ChatStatus.RESOLVED)) {
            refused("invalid-transition", () -> OfferRules.offer(status, null, MANAGER, ONLINE, false));
        }
        refused("offer-pending", () -> OfferRules.offer(ChatStatus.INTERVENED, HOLDER, HOLDING_AGENT, ONLINE, true));
        refused("agent-not-found", () -> OfferRules.offer(ChatStatus.INTERVENED, HOLDER, HOLDING_AGENT, null, false));
        refused("agent-not-found", () -> OfferRules.offer(ChatStatus.INTERVENED, HOLDER, HOLDING_AGENT,
                new Target(TARGET, false, Availability.ONLINE), false));
        refused("same-holder", () -> OfferRules.offer(ChatStatus.INTERVENED, HOLDER, MANAGER,
                new Target(HOLDER, true, Availability.ONLINE), false));
        refused("agent-offline", () -> OfferRules.offer(ChatStatus.INTERVENED, HOLDER, HOLDING_AGENT,
                new Target(TARGET, true, Availability.OFFLINE), false));
    }

    @Test
    void shouldLetOnlyTheTargetAnswerAStandingOffer() {
        OfferRules.answer(offer(OfferStatus.PENDING, NOW.plusSeconds(1)), TARGET_AGENT, NOW);
        refused("forbidden", () -> OfferRules.answer(offer(OfferStatus.PENDING, NOW.plusSeconds(1)), HOLDING_AGENT, NOW));
        refused("forbidden", () -> OfferRules.answer(offer(OfferStatus.PENDING, NOW.plusSeconds(1)), OWNER, NOW));
        for (OfferStatus ended : List.of(OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.CANCELLED)) {
            refused("offer-not-pending", () -> OfferRules.answer(offer(ended, NOW.plusSeconds(1)), TARGET_AGENT, NOW));
        }
        refused("offer-not-pending", () -> OfferRules.answer(offer(OfferStatus.PENDING, NOW), TARGET_AGENT, NOW));
    }

    @Test
    void shouldLetTheOffererAndSupervisorsCancel() {
        Offer offer = offer(OfferStatus.PENDING, NOW.plusSeconds(1));
        OfferRules.cancel(offer, HOLDING_AGENT, NOW);
        OfferRules.cancel(offer, MANAGER, NOW);
        OfferRules.cancel(offer, OWNER, NOW);
        refused("forbidden", () -> OfferRules.cancel(offer, TARGET_AGENT, NOW));
        refused("forbidden", () -> OfferRules.cancel(offer, BYSTANDER, NOW));
        refused("offer-not-pending", () -> OfferRules.cancel(offer(OfferStatus.PENDING, NOW.minusSeconds(1)), HOLDING_AGENT, NOW));
    }

    @Test
    void shouldShowAnOfferToItsPartiesTheHolderAndSupervisorsOnly() {
        Offer offer = offer(OfferStatus.PENDING, NOW);
        assertTrue(OfferRules.visible(offer, TARGET_AGENT, HOLDER));
        assertTrue(OfferRules.visible(offer, HOLDING_AGENT, HOLDER));
        assertTrue(OfferRules.visible(offer, MANAGER, HOLDER));
        assertTrue(OfferRules.visible(offer, BYSTANDER, BYSTANDER.id()));
        assertFalse(OfferRules.visible(offer, BYSTANDER, HOLDER));
    }

    @Test
    void shouldTransferToTheTargetWhenAnOfferIsAccepted() {
        Custody.Decision held = Custody.acceptOffer(ChatStatus.INTERVENED, HOLDER, TARGET);
        assertEquals(ChatStatus.INTERVENED, held.status());
        assertEquals(TARGET, held.holder());
        assertEquals(new Custody.LedgerEntry(dev.baton.chat.CustodyChange.TRANSFER, HOLDER, TARGET), held.entry());
        assertEquals(List.of(new Custody.Notice.Revoked(HOLDER, RevocationReason.TRANSFERRED), new Custody.Notice.Assigned(TARGET),
                new Custody.Notice.Updated()), held.notices());
        Custody.Decision queued = Custody.acceptOffer(ChatStatus.REQUESTING, null, TARGET);
        assertEquals(List.of(new Custody.Notice.Assigned(TARGET), new Custody.Notice.Updated()), queued.notices());
    }

    private static Offer offer(OfferStatus status, OffsetDateTime expiresAt) {
        Offer offer = new Offer();
        offer.fromAgentId = HOLDER;
        offer.toAgentId = TARGET;
        offer.status = status;
        offer.expiresAt = expiresAt;
        return offer;
    }

    private static void refused(String code, Executable rule) {
        assertEquals(code, assertThrows(Refusal.class, rule).code().id());
    }
}
