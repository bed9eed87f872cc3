package dev.baton.chat;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentService;
import dev.baton.agent.Role;
import dev.baton.auth.Caller;
import dev.baton.common.Cursor;
import dev.baton.problem.ApiException;
import dev.baton.realtime.Audience;
import dev.baton.realtime.Envelope.Performer;
import dev.baton.realtime.Outbox;
import dev.baton.realtime.Outbox.Delivery;
import dev.baton.timeline.EntryKind;
import dev.baton.timeline.EntryView;
import dev.baton.timeline.Timeline;
import dev.baton.timeline.TimelineEntry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Loads chats, applies the {@link Custody} rules, persists the outcome and publishes it, in one transaction. */
@ApplicationScoped
public class ChatService {

    private final Outbox outbox;

    public ChatService(Outbox outbox) {
        this.outbox = outbox;
    }

    /** A transition request: the action and, for a transfer, target, force and note. */
    public record Transition(CustodyAction action, UUID targetId, boolean force, String note, Long ifMatch) {
    }

    public Uni<ChatView> get(Caller caller, UUID chatId) {
        return Panache.withSession(() -> AgentService.requireActor(caller)
                .chain(actor -> visible(actor, chatId))
                .chain(ChatService::view));
    }

    public Uni<ChatPage> list(Caller caller, ChatStatus status, UUID holderId, int limit, Cursor cursor) {
        return Panache.withSession(() -> AgentService.requireActor(caller).chain(actor -> {
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
                    .chain(chats -> views(chats).map(views -> {
                        String next = chats.size() == limit
                                ? new Cursor(chats.get(limit - 1).activityAt, chats.get(limit - 1).id).encode()
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
        return Panache.withTransaction(() -> (actorMayHold ? AgentService.requireActorForCustody(caller)
                : AgentService.requireActor(caller)).chain(actor -> {
            Uni<Agent> target = request.action() == CustodyAction.TRANSFER
                    ? AgentService.lockForCustody(actor.workspaceId, request.targetId())
                    : Uni.createFrom().nullItem();
            return target.chain(t -> lockInWorkspace(actor.workspaceId, chatId).chain(chat -> {
                if (request.ifMatch() != null && request.ifMatch() != chat.version) {
                    throw new ApiException(412, "version-mismatch",
                            "The chat is at version " + chat.version + ", not " + request.ifMatch() + ".");
                }
                Custody.Target rulesTarget = t == null ? null : new Custody.Target(t.id, t.active, t.availability);
                Custody.Outcome outcome = Custody.decide(chat.status, chat.holderId,
                        new Custody.Actor(actor.id, actor.role), request.action(), rulesTarget, request.force());
                Agent holder = outcome.holder() == null ? null : outcome.holder().equals(actor.id) ? actor : t;
                return apply(chat, actor, request.action(), outcome, request.note(), holder);
            }));
        })).invoke(outbox::committed);
    }

    /** Deactivation: every chat the agent holds goes back to the queue. Runs in the caller's transaction. */
    public Uni<Void> releaseAllHeldBy(Agent agent, Agent actor) {
        return Chat.<Chat>find("holderId = ?1 order by id", agent.id).withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .chain(chats -> {
                    Uni<Void> all = Uni.createFrom().voidItem();
                    for (Chat chat : chats) {
                        all = all.chain(() -> apply(chat, actor, CustodyAction.DEACTIVATE,
                                Custody.deactivate(chat.status, chat.holderId), "holder deactivated", null).replaceWithVoid());
                    }
                    return all;
                });
    }

    /** A change the system makes without an actor (a customer message reopening or queueing the chat). */
    public Uni<ChatView> applyWithoutActor(Chat chat, CustodyAction action, Custody.Outcome outcome) {
        return apply(chat, null, action, outcome, null, null);
    }

    /** Writes an allowed transition: state, version, the CUSTODY entry and its events. */
    private Uni<ChatView> apply(Chat chat, Agent actor, CustodyAction action, Custody.Outcome outcome, String note, Agent holder) {
        TimelineEntry entry = Timeline.entry(EntryKind.CUSTODY, actor, note);
        entry.custodyAction = action;
        // The previous holder's name is on the chat row: the ledger entry needs no extra read.
        entry.fromAgentId = chat.holderId;
        entry.fromUsername = chat.holderId == null ? null : chat.holderUsername;
        chat.status = outcome.status();
        chat.holderId = outcome.holder();
        chat.holderUsername = holder == null ? null : holder.username;
        chat.version++;
        if (holder != null) {
            entry.toAgentId = holder.id;
            entry.toUsername = holder.username;
        }
        return Timeline.append(chat, entry).chain(saved -> publish(chat, action, outcome, saved, holder));
    }

    private Uni<ChatView> publish(Chat chat, CustodyAction action, Custody.Outcome outcome, TimelineEntry entry, Agent holder) {
        ChatView view = ChatView.of(chat, holder);
        EntryView entryView = EntryView.of(entry);
        Performer performer = Timeline.performer(entry);
        OffsetDateTime at = entry.createdAt;
        List<Delivery> events = new ArrayList<>(5);
        events.add(new Delivery(Audience.MONITORS, null, "message.created", entry.seq, at, performer, entryView));
        if (outcome.revoked() != null) {
            events.add(new Delivery(Audience.AGENT, outcome.revoked(), "chat.revoked", entry.seq, at, performer,
                    Map.of("reason", action.revocationReason())));
        }
        if (holder != null) {
            Map<String, Object> assigned = new HashMap<>();
            assigned.put("chat", view);
            assigned.put("note", entry.text);
            assigned.put("entry", entryView);
            events.add(new Delivery(Audience.AGENT, holder.id, "chat.assigned", entry.seq, at, performer, assigned));
        }
        if (outcome.status() == ChatStatus.REQUESTING) {
            events.add(new Delivery(Audience.STAFF, null, "chat.queued", entry.seq, at, performer, Map.of("chat", view)));
        }
        events.add(new Delivery(Audience.SUPERVISORS, null, "chat.updated", entry.seq, at, performer,
                Map.of("chat", view, "action", action)));
        return outbox.publish(chat.workspaceId, chat.id, events).replaceWith(view);
    }

    /** The chat, row-locked, if it belongs to the workspace; 404 otherwise. */
    public static Uni<Chat> lockInWorkspace(UUID workspaceId, UUID chatId) {
        return Chat.<Chat>findById(chatId, LockModeType.PESSIMISTIC_WRITE).map(chat -> {
            if (chat == null || !chat.workspaceId.equals(workspaceId)) {
                throw ApiException.chatNotFound();
            }
            return chat;
        });
    }

    /** The chat if the actor may read it: supervisors any chat of the workspace, agents their own and the unheld queue. */
    public static Uni<Chat> visible(Agent actor, UUID chatId) {
        return Chat.<Chat>findById(chatId).map(chat -> {
            if (chat == null || !chat.workspaceId.equals(actor.workspaceId) || !canSee(actor, chat)) {
                throw ApiException.chatNotFound();
            }
            return chat;
        });
    }

    static boolean canSee(Agent actor, Chat chat) {
        if (actor.role != Role.AGENT) {
            return true;
        }
        return actor.id.equals(chat.holderId)
                || (chat.holderId == null && (chat.status == ChatStatus.OPEN || chat.status == ChatStatus.REQUESTING));
    }

    public static Uni<ChatView> view(Chat chat) {
        return chat.holderId == null ? Uni.createFrom().item(ChatView.of(chat, null))
                : Agent.<Agent>findById(chat.holderId).map(holder -> ChatView.of(chat, holder));
    }

    private static Uni<List<ChatView>> views(List<Chat> chats) {
        List<UUID> holderIds = chats.stream().map(c -> c.holderId).filter(java.util.Objects::nonNull).distinct().toList();
        Uni<List<Agent>> holders = holderIds.isEmpty() ? Uni.createFrom().item(List.of()) : Agent.list("id in ?1", holderIds);
        return holders.map(agents -> {
            Map<UUID, Agent> byId = new HashMap<>();
            agents.forEach(a -> byId.put(a.id, a));
            List<ChatView> views = new ArrayList<>(chats.size());
            chats.forEach(c -> views.add(ChatView.of(c, c.holderId == null ? null : byId.get(c.holderId))));
            return views;
        });
    }
}
