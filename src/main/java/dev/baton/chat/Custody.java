package dev.baton.chat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.baton.agent.Availability;
import dev.baton.agent.Role;
import dev.baton.common.Refusal;
import dev.baton.common.Refusal.Code;

/**
 * The custody rules, and nothing else: given a chat's status and holder, who acts, what they ask
 * and (for a transfer) the target, either a {@link Decision} — the resulting status and holder, the
 * ledger entry and who is told what — or the precise {@link Refusal}. Pure: no database, no
 * framework, no HTTP, so every status x action x role is unit-tested, notifications included.
 *
 * <p>Checks run in a fixed order, which decides the refusal when several apply:
 * role gate (forbidden), someone else's held chat for an AGENT (not-chat-holder),
 * status (invalid-transition), holder and target (not-chat-holder, agent-not-found,
 * same-holder, agent-offline).
 */
public final class Custody {

    public record Actor(UUID id, Role role) {
    }

    public record Target(UUID id, boolean active, Availability availability) {
    }

    /** Who is told what about a custody change. */
    public sealed interface Notice {
        /** The new holder receives the chat ({@code chat.assigned}). */
        record Assigned(UUID agent) implements Notice {
        }

        /** The previous holder loses it ({@code chat.revoked}); nothing of the chat reaches it as holder afterwards. */
        record Revoked(UUID agent, RevocationReason reason) implements Notice {
        }

        /** Every active staff member: the chat waits in the queue ({@code chat.queued}). */
        record Queued() implements Notice {
        }

        /** Owners and managers: the chat changed ({@code chat.updated}). */
        record Updated() implements Notice {
        }
    }

    /** The CUSTODY ledger entry of a change: what happened, from which holder, to which. */
    public record LedgerEntry(CustodyChange change, UUID from, UUID to) {
    }

    /** An allowed change: the chat's new status and holder, its ledger entry and its notices, in delivery order. */
    public record Decision(ChatStatus status, UUID holder, LedgerEntry entry, List<Notice> notices) {
    }

    private static final Set<ChatStatus> UNRESOLVED = EnumSet.of(ChatStatus.OPEN, ChatStatus.REQUESTING, ChatStatus.INTERVENED);

    private Custody() {
    }

    public static Decision decide(ChatStatus status, UUID holder, Actor actor, CustodyAction action, Target target, boolean force) {
        boolean supervisor = actor.role().supervises();
        boolean holds = actor.id().equals(holder);
        if (action == CustodyAction.TAKEOVER && !supervisor) {
            throw new Refusal(Code.FORBIDDEN, "Only owners and managers may take over a chat.");
        }
        if (!supervisor && holder != null && !holds) {
            throw notChatHolder();
        }
        if (!allowedFrom(action.change()).contains(status)) {
            throw new Refusal(Code.INVALID_TRANSITION, "Cannot " + action.name().toLowerCase() + " a chat that is " + status + ".");
        }
        CustodyChange change = action.change();
        return switch (action) {
            case INTERVENE -> decision(change, ChatStatus.INTERVENED, holder, actor.id());
            case TAKEOVER -> {
                if (holds) {
                    throw new Refusal(Code.SAME_HOLDER, "You already hold this chat.");
                }
                yield decision(change, ChatStatus.INTERVENED, holder, actor.id());
            }
            case TRANSFER -> {
                if (!supervisor && !holds) {
                    throw notChatHolder();
                }
                if (target == null || !target.active()) {
                    throw new Refusal(Code.AGENT_NOT_FOUND, "No such active agent in this workspace.");
                }
                if (target.id().equals(holder)) {
                    throw new Refusal(Code.SAME_HOLDER, "The target agent already holds this chat.");
                }
                if (target.availability() == Availability.OFFLINE && !force) {
                    throw new Refusal(Code.AGENT_OFFLINE, "The target agent is OFFLINE; send force: true to transfer anyway.");
                }
                yield decision(change, ChatStatus.INTERVENED, holder, target.id());
            }
            case RELEASE -> decision(change, ChatStatus.REQUESTING, holder, null);
            case RESOLVE -> {
                if (!supervisor && !holds) {
                    throw notChatHolder();
                }
                yield decision(change, ChatStatus.RESOLVED, holder, null);
            }
            case REOPEN -> decision(change, ChatStatus.OPEN, holder, null);
        };
    }

    /**
     * An offer of the chat was accepted: a TRANSFER to its target. Who may accept, and whether the
     * offer still stands, is the offer's rule; any other custody change cancels a pending offer, so
     * the chat is still as it was offered (INTERVENED or REQUESTING, the target not its holder).
     */
    public static Decision acceptOffer(ChatStatus status, UUID holder, UUID target) {
        if (!allowedFrom(CustodyChange.TRANSFER).contains(status) || target.equals(holder)) {
            throw new IllegalStateException("an accepted offer finds its chat as it was offered");
        }
        return decision(CustodyChange.TRANSFER, ChatStatus.INTERVENED, holder, target);
    }

    /** The holder was deactivated: the chat goes back to the queue. */
    public static Decision deactivate(ChatStatus status, UUID holder) {
        if (status != ChatStatus.INTERVENED || holder == null) {
            throw new IllegalStateException("only a held chat can lose its holder");
        }
        return decision(CustodyChange.DEACTIVATE, ChatStatus.REQUESTING, holder, null);
    }

    /**
     * A transfer into a team's queue (the team is the caller's to check): OWNER/MANAGER any unresolved
     * chat, an AGENT only a chat it holds; the chat waits unheld.
     */
    public static Decision transferToQueue(ChatStatus status, UUID holder, Actor actor) {
        if (!actor.role().supervises() && !actor.id().equals(holder)) {
            throw notChatHolder();
        }
        if (!allowedFrom(CustodyChange.TRANSFER).contains(status)) {
            throw new Refusal(Code.INVALID_TRANSITION, "Cannot transfer a chat that is " + status + ".");
        }
        return decision(CustodyChange.TRANSFER, ChatStatus.REQUESTING, holder, null);
    }

    /** Routing gives a waiting chat to an agent (eligibility and capacity are the router's, checked under lock). */
    public static Decision assign(ChatStatus status, UUID holder, UUID agent) {
        if (status != ChatStatus.REQUESTING || holder != null) {
            throw new IllegalStateException("only a waiting chat is assigned");
        }
        return decision(CustodyChange.ASSIGN, ChatStatus.INTERVENED, null, agent);
    }

    /** The holder did not reply in time: the chat goes back to the queue. */
    public static Decision requeue(ChatStatus status, UUID holder) {
        if (status != ChatStatus.INTERVENED || holder == null) {
            throw new IllegalStateException("only a held chat is requeued");
        }
        return decision(CustodyChange.REQUEUE, ChatStatus.REQUESTING, holder, null);
    }

    /**
     * What a customer message does to the chat's custody: a RESOLVED chat reopens (to REQUESTING
     * with {@code handoff}), an OPEN chat with {@code handoff} enters the queue; otherwise nothing (null).
     */
    public static Decision inbound(ChatStatus status, boolean handoff) {
        if (status == ChatStatus.RESOLVED) {
            return decision(CustodyChange.REOPEN, handoff ? ChatStatus.REQUESTING : ChatStatus.OPEN, null, null);
        }
        if (status == ChatStatus.OPEN && handoff) {
            return decision(CustodyChange.HANDOFF, ChatStatus.REQUESTING, null, null);
        }
        return null;
    }

    static Set<ChatStatus> allowedFrom(CustodyChange change) {
        return switch (change) {
            case INTERVENE -> EnumSet.of(ChatStatus.OPEN, ChatStatus.REQUESTING);
            case TAKEOVER, RELEASE, DEACTIVATE, REQUEUE -> EnumSet.of(ChatStatus.INTERVENED);
            case ASSIGN -> EnumSet.of(ChatStatus.REQUESTING);
            case HANDOFF -> EnumSet.of(ChatStatus.OPEN);
            case TRANSFER, RESOLVE -> UNRESOLVED;
            case REOPEN -> EnumSet.of(ChatStatus.RESOLVED);
        };
    }

    /**
     * Who is told: a previous holder who loses the chat, the new holder, the whole staff when the
     * chat is queued, and always the supervisors.
     */
    private static Decision decision(CustodyChange change, ChatStatus status, UUID previous, UUID holder) {
        List<Notice> notices = new ArrayList<>(4);
        if (previous != null && !previous.equals(holder)) {
            notices.add(new Notice.Revoked(previous, reason(change)));
        }
        if (holder != null) {
            notices.add(new Notice.Assigned(holder));
        }
        if (status == ChatStatus.REQUESTING) {
            notices.add(new Notice.Queued());
        }
        notices.add(new Notice.Updated());
        return new Decision(status, holder, new LedgerEntry(change, previous, holder), List.copyOf(notices));
    }

    private static RevocationReason reason(CustodyChange change) {
        return switch (change) {
            case TAKEOVER -> RevocationReason.TAKEN_OVER;
            case TRANSFER -> RevocationReason.TRANSFERRED;
            case RELEASE -> RevocationReason.RELEASED;
            case RESOLVE -> RevocationReason.RESOLVED;
            case DEACTIVATE -> RevocationReason.DEACTIVATED;
            case REQUEUE -> RevocationReason.NO_REPLY;
            case INTERVENE, REOPEN, HANDOFF, ASSIGN -> throw new IllegalStateException(change + " never takes a chat from a holder");
        };
    }

    private static Refusal notChatHolder() {
        return new Refusal(Code.NOT_CHAT_HOLDER, "Only the agent holding the chat may do this.");
    }
}
