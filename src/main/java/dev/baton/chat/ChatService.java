package dev.baton.chat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.baton.agent.Actors;
import dev.baton.agent.Agent;
import dev.baton.auth.Caller;
import dev.baton.chat.ChatEvents.ChatAssigned;
import dev.baton.chat.ChatEvents.ChatQueued;
import dev.baton.chat.ChatEvents.ChatRevoked;
import dev.baton.chat.ChatEvents.ChatUpdated;
import dev.baton.common.Cursor;
import dev.baton.problem.ApiException;
import dev.baton.realtime.Audience;
import dev.baton.routing.Capacity;
import dev.baton.routing.NoReplyTimer;
import dev.baton.routing.Teams;
import dev.baton.realtime.Outbox;
import dev.baton.realtime.Outbox.Delivery;
import dev.baton.timeline.EntryKind;
import dev.baton.timeline.EntryView;
import dev.baton.timeline.MessageCreated;
import dev.baton.timeline.Timeline;
import dev.baton.timeline.TimelineEntry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.LockModeType;

/**
 * Loads chats, applies the {@link Custody} rules, persists the decision and publishes its
 * notifications, in one transaction. Deciding is Custody's; this class only maps each notice to
 * its event.
 */
@ApplicationScoped
public class ChatService {

    private final Outbox outbox;
    private final Timeline timeline;
    private final Actors actors;
    private final ChatRepository chats;
    private final Capacity capacity;
    private final NoReplyTimer timers;
    private final List<CustodyListener> listeners;

    public ChatService(Outbox outbox, Timeline timeline, Actors actors, ChatRepository chats, Capacity capacity,
            NoReplyTimer timers, Instance<CustodyListener> listeners) {
        this.capacity = capacity;
        this.timers = timers;
        this.outbox = outbox;
        this.timeline = timeline;
        this.actors = actors;
        this.chats = chats;
        // Resolved once: iterating an Instance looks the beans up again on every custody change.
        this.listeners = listeners.stream().toList();
    }

    /** A transition request: the action and, for a transfer, target, force and note. */
    public record Transition(CustodyAction action, UUID targetId, boolean force, String note, Long ifMatch) {
    }

    public Uni<ChatView> get(Caller caller, UUID chatId) {
        return Panache.withSession(() -> actors.require(caller)
                .chain(actor -> chats.visible(actor, chatId))
                .chain(chats::view));
    }

    public Uni<ChatPage> list(Caller caller, ChatStatus status, UUID holderId, int limit, Cursor cursor) {
        return Panache.withSession(() -> actors.require(caller).chain(actor -> {
            StringBuilder q = new StringBuilder("workspaceId = :ws");
            Map<String, Object> p = new HashMap<>();
            p.put("ws", actor.workspaceId);
            if (status != null) {
                q.append(" and status = :status");
                p.put("status", status);
            }
            if (holderId != null) {
                q.append(" and holderId = :holder");
                p.put("holder", holderId);
            }
            if (!actor.role.supervises()) {
                q.append(" and (holderId = :me or (holderId is null and status in (:unheld)))");
                p.put("me", actor.id);
                p.put("unheld", List.of(ChatStatus.OPEN, ChatStatus.REQUESTING));
            }
            if (cursor != null) {
                q.append(" and (activityAt < :at or (activityAt = :at and id < :id))");
                p.put("at", cursor.at());
                p.put("id", cursor.id());
            }
            q.append(" order by activityAt desc, id desc");
            return Chat.<Chat>find(q.toString(), p).range(0, limit - 1).list() // range bounds are inclusive
                    .chain(found -> chats.views(found).map(views -> {
                        String next = found.size() == limit
                                ? new Cursor(found.get(limit - 1).activityAt, found.get(limit - 1).id).encode()
                                : null;
                        return new ChatPage(views, next);
                    }));
        }));
    }

    /**
     * Agents are locked before the chat (the actor, and a transfer's target, FOR SHARE): deactivation
     * locks the agent and then the chats it holds, so one lock order everywhere rules out deadlocks,
     * and an agent read under the lock cannot be deactivated before this transaction commits.
     */
    public Uni<ChatView> transition(Caller caller, UUID chatId, Transition request) {
        // Only an agent about to become holder is share-locked (against a concurrent deactivation):
        // locking every actor would make a busy supervisor's row a hot spot for all its transfers.
        // A transfer to oneself makes the actor the holder too; its lock must come with the first read
        // of its row, as a later lock on an entity already in the session does not re-read it.
        boolean actorMayHold = request.action() == CustodyAction.INTERVENE || request.action() == CustodyAction.TAKEOVER
                || caller.agentId().equals(request.targetId());
        return outbox.transaction(() -> (actorMayHold ? actors.requireForCustody(caller)
                : actors.require(caller)).chain(actor -> {
            // A transfer's target and its load row are locked in one statement; whoever else may become the holder
            // has its load row locked after its agent row. Both before the chat: Capacity's lock order.
            Uni<Capacity.Locked> locked = request.action() == CustodyAction.TRANSFER ? capacity.lockAgent(actor.workspaceId, request.targetId())
                    : actorMayHold ? capacity.lock(actor).map(load -> new Capacity.Locked(actor, load))
                    : Uni.createFrom().item(new Capacity.Locked(null, null));
            return locked.chain(found -> {
                Agent t = request.action() == CustodyAction.TRANSFER ? found.agent() : null;
                Capacity.Load l = found.agent() != null && found.agent().active ? found.load() : null;
                return chats.lockInWorkspace(actor.workspaceId, chatId).chain(chat -> {
                    checkVersion(chat, request.ifMatch());
                    Custody.Target rulesTarget = t == null ? null : new Custody.Target(t.id, t.active, t.availability);
                    Custody.Decision decision = Custody.decide(chat.status, chat.holderId,
                            new Custody.Actor(actor.id, actor.role), request.action(), rulesTarget, request.force());
                    if (l != null && Capacity.limits(actor.role, actor.id.equals(l.agentId()), request.force())) {
                        l.requireRoom();
                    }
                    Agent holder = decision.holder() == null ? null : decision.holder().equals(actor.id) ? actor : t;
                    return apply(chat, actor, decision, request.note(), holder);
                });
            });
        }));
    }

    /** Deactivation: every chat the agent holds goes back to the queue. Runs in the caller's transaction. */
    public Uni<Void> releaseAllHeldBy(Agent agent, Agent actor) {
        return Chat.<Chat>find("holderId = ?1 order by id", agent.id).withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .chain(held -> {
                    Uni<Void> all = Uni.createFrom().voidItem();
                    for (Chat chat : held) {
                        all = all.chain(() -> apply(chat, actor, Custody.deactivate(chat.status, chat.holderId), "holder deactivated",
                                null).replaceWithVoid());
                    }
                    return all;
                });
    }

    /** A change the system makes without an actor (a customer message reopening or queueing the chat). */
    public Uni<ChatView> applyWithoutActor(Chat chat, Custody.Decision decision) {
        return apply(chat, null, decision, null, null);
    }

    /**
     * An accepted offer: the chat (row-locked by the caller, in its transaction) goes to the target
     * (share-locked by the caller), the ledger's TRANSFER naming the offer and its offerer.
     */
    public Uni<ChatView> acceptOffer(Chat chat, Agent offerer, Agent target, UUID offerId, String note) {
        return apply(chat, offerer, Custody.acceptOffer(chat.status, chat.holderId, target.id), note, target, offerId, null);
    }

    /**
     * A change the system makes without an actor, for a {@code reason} the ledger keeps (routing's ASSIGN
     * and REQUEUE); {@code holder} is the new holder or null. Runs in the caller's transaction, with the
     * chat locked (and a new holder's load row, see routing.Capacity).
     */
    public Uni<ChatView> applySystem(Chat chat, Custody.Decision decision, Agent holder, String reason) {
        return apply(chat, null, decision, null, holder, null, reason);
    }

    /**
     * {@code POST /chats/{id}/transfer {toTeamId}}: the chat joins the team's queue, unheld. The team is
     * checked before the chat is locked; the rules are {@link Custody#transferToQueue}.
     */
    public Uni<ChatView> transferToTeam(Caller caller, UUID chatId, UUID teamId, String note, Long ifMatch) {
        return outbox.transaction(() -> actors.require(caller).chain(actor -> Teams.inWorkspace(actor.workspaceId, teamId)
                .chain(team -> chats.lockInWorkspace(actor.workspaceId, chatId).chain(chat -> {
                    checkVersion(chat, ifMatch);
                    Custody.Decision decision = Custody.transferToQueue(chat.status, chat.holderId, new Custody.Actor(actor.id, actor.role));
                    chat.teamId = team;
                    return apply(chat, actor, decision, note, null);
                }))));
    }

    private static void checkVersion(Chat chat, Long ifMatch) {
        if (ifMatch != null && ifMatch != chat.version) {
            throw new ApiException(412, "version-mismatch", "The chat is at version " + chat.version + ", not " + ifMatch + ".");
        }
    }

    private Uni<ChatView> apply(Chat chat, Agent actor, Custody.Decision decision, String note, Agent holder) {
        return apply(chat, actor, decision, note, holder, null, null);
    }

    /**
     * Writes an allowed change: the listeners' part, state, version, the CUSTODY entry and its events;
     * {@code offerId} for a TRANSFER by an accepted offer, {@code reason} for a change the system made.
     */
    private Uni<ChatView> apply(Chat chat, Agent actor, Custody.Decision decision, String note, Agent holder, UUID offerId, String reason) {
        Uni<Void> heard = Uni.createFrom().voidItem();
        for (CustodyListener listener : listeners) {
            heard = heard.chain(() -> listener.custodyChanging(chat, actor, decision));
        }
        return heard.chain(() -> write(chat, actor, decision, note, holder, offerId, reason));
    }

    private Uni<ChatView> write(Chat chat, Agent actor, Custody.Decision decision, String note, Agent holder, UUID offerId, String reason) {
        TimelineEntry entry = TimelineEntry.of(EntryKind.CUSTODY, actor, note);
        entry.offerId = offerId;
        entry.custodyAction = decision.entry().change();
        entry.reason = reason;
        outbox.custodyChanged(chat.workspaceId);
        if (decision.status() == ChatStatus.REQUESTING && chat.status != ChatStatus.REQUESTING) {
            chat.queuedAt = OffsetDateTime.now(ZoneOffset.UTC);
        }
        // The previous holder's name is on the chat row: the ledger entry needs no extra read.
        entry.fromAgentId = decision.entry().from();
        entry.fromUsername = chat.holderId == null ? null : chat.holderUsername;
        chat.status = decision.status();
        chat.holderId = decision.holder();
        chat.holderUsername = holder == null ? null : holder.username;
        chat.version++;
        if (holder != null) {
            entry.toAgentId = holder.id;
            entry.toUsername = holder.username;
        }
        // The view is taken once the entry is appended: it shows the chat's new seq and activity time.
        return timers.custodyChanged(chat).chain(() -> timeline.append(chat, entry, saved -> deliveries(decision, saved, ChatView.of(chat, holder))))
                .map(saved -> ChatView.of(chat, holder));
    }

    /** The CUSTODY entry to the chat's monitors, then one event per notice of the decision. */
    private static List<Delivery> deliveries(Custody.Decision decision, TimelineEntry entry, ChatView view) {
        EntryView entryView = EntryView.of(entry);
        List<Delivery> events = new ArrayList<>(5);
        events.add(new Delivery(Audience.MONITORS, null, new MessageCreated(entryView)));
        for (Custody.Notice notice : decision.notices()) {
            events.add(delivery(notice, view, entry.text, entryView, decision.entry().change()));
        }
        return events;
    }

    private static Delivery delivery(Custody.Notice notice, ChatView view, String note, EntryView entry, CustodyChange change) {
        if (notice instanceof Custody.Notice.Revoked revoked) {
            return new Delivery(Audience.AGENT, revoked.agent(), new ChatRevoked(revoked.reason()));
        }
        if (notice instanceof Custody.Notice.Assigned assigned) {
            return new Delivery(Audience.AGENT, assigned.agent(), new ChatAssigned(view, note, entry));
        }
        if (notice instanceof Custody.Notice.Queued) {
            return new Delivery(Audience.STAFF, null, new ChatQueued(view));
        }
        if (notice instanceof Custody.Notice.Updated) {
            return new Delivery(Audience.SUPERVISORS, null, new ChatUpdated(view, change));
        }
        throw new IllegalStateException("no event for " + notice);
    }
}
