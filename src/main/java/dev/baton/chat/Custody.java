package dev.baton.chat;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import dev.baton.agent.Availability;
import dev.baton.agent.Role;
import dev.baton.problem.ApiException;

/**
 * The custody rules, and nothing else: given a chat's status and holder, who acts, what they ask
 * and (for a transfer) the target, either the resulting status and holder or the precise refusal.
 * Pure: no database, no framework, so every status x action x role is unit-tested.
 *
 * <p>Checks run in a fixed order, which decides the error when several apply:
 * role gate (403 forbidden), someone else's held chat for an AGENT (403 not-chat-holder),
 * status (409 invalid-transition), holder and target (403 not-chat-holder, 404 agent-not-found,
 * 409 same-holder, 409 agent-offline).
 */
public final class Custody {

    public record Actor(UUID id, Role role) {
    }

    public record Target(UUID id, boolean active, Availability availability) {
    }

    /** The outcome of an allowed transition. {@code revoked} is the previous holder who loses the chat, if any. */
    public record Outcome(ChatStatus status, UUID holder, UUID revoked) {
    }

    private static final Set<ChatStatus> UNRESOLVED = EnumSet.of(ChatStatus.OPEN, ChatStatus.REQUESTING, ChatStatus.INTERVENED);

    private Custody() {
    }

    public static Outcome decide(ChatStatus status, UUID holder, Actor actor, CustodyAction action, Target target, boolean force) {
        boolean supervisor = actor.role().supervises();
        boolean holds = actor.id().equals(holder);
        if (action == CustodyAction.TAKEOVER && !supervisor) {
            throw ApiException.forbidden("Only owners and managers may take over a chat.");
        }
        if (action == CustodyAction.DEACTIVATE || action == CustodyAction.HANDOFF) {
            throw new IllegalArgumentException(action + " is applied by the system, not requested");
        }
        if (!supervisor && holder != null && !holds) {
            throw ApiException.notChatHolder();
        }
        if (!allowedFrom(action).contains(status)) {
            throw ApiException.conflict("invalid-transition", "Cannot " + action.name().toLowerCase() + " a chat that is " + status + ".");
        }
        return switch (action) {
            case INTERVENE -> outcome(ChatStatus.INTERVENED, actor.id(), holder);
            case TAKEOVER -> {
                if (holds) {
                    throw ApiException.conflict("same-holder", "You already hold this chat.");
                }
                yield outcome(ChatStatus.INTERVENED, actor.id(), holder);
            }
            case TRANSFER -> {
                if (!supervisor && !holds) {
                    throw ApiException.notChatHolder();
                }
                if (target == null || !target.active()) {
                    throw ApiException.agentNotFound();
                }
                if (target.id().equals(holder)) {
                    throw ApiException.conflict("same-holder", "The target agent already holds this chat.");
                }
                if (target.availability() == Availability.OFFLINE && !force) {
                    throw ApiException.conflict("agent-offline", "The target agent is OFFLINE; send force: true to transfer anyway.");
                }
                yield outcome(ChatStatus.INTERVENED, target.id(), holder);
            }
            case RELEASE -> outcome(ChatStatus.REQUESTING, null, holder);
            case RESOLVE -> {
                if (!supervisor && !holds) {
                    throw ApiException.notChatHolder();
                }
                yield outcome(ChatStatus.RESOLVED, null, holder);
            }
            case REOPEN -> outcome(ChatStatus.OPEN, null, holder);
            case DEACTIVATE, HANDOFF -> throw new IllegalStateException("unreachable");
        };
    }

    /** The holder was deactivated: the chat goes back to the queue. */
    public static Outcome deactivate(ChatStatus status, UUID holder) {
        if (status != ChatStatus.INTERVENED || holder == null) {
            throw new IllegalStateException("only a held chat can lose its holder");
        }
        return outcome(ChatStatus.REQUESTING, null, holder);
    }

    /**
     * What a customer message does to the chat's custody: a RESOLVED chat reopens (to REQUESTING
     * with {@code handoff}), an OPEN chat with {@code handoff} enters the queue; otherwise nothing (null).
     */
    public static Outcome inbound(ChatStatus status, boolean handoff) {
        if (status == ChatStatus.RESOLVED) {
            return new Outcome(handoff ? ChatStatus.REQUESTING : ChatStatus.OPEN, null, null);
        }
        if (status == ChatStatus.OPEN && handoff) {
            return new Outcome(ChatStatus.REQUESTING, null, null);
        }
        return null;
    }

    static Set<ChatStatus> allowedFrom(CustodyAction action) {
        return switch (action) {
            case INTERVENE -> EnumSet.of(ChatStatus.OPEN, ChatStatus.REQUESTING);
            case TAKEOVER, RELEASE, DEACTIVATE -> EnumSet.of(ChatStatus.INTERVENED);
            case HANDOFF -> EnumSet.of(ChatStatus.OPEN);
            case TRANSFER, RESOLVE -> UNRESOLVED;
            case REOPEN -> EnumSet.of(ChatStatus.RESOLVED);
        };
    }

    private static Outcome outcome(ChatStatus status, UUID holder, UUID previous) {
        UUID revoked = previous != null && !Objects.equals(previous, holder) ? previous : null;
        return new Outcome(status, holder, revoked);
    }
}
