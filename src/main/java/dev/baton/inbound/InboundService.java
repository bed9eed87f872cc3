package dev.baton.inbound;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.baton.chat.Chat;
import dev.baton.chat.ChatService;
import dev.baton.chat.Custody;
import dev.baton.inbound.InboundResource.Accepted;
import dev.baton.inbound.InboundResource.InboundMessage;
import dev.baton.problem.SqlState;
import dev.baton.realtime.Outbox;
import dev.baton.routing.NoReplyTimer;
import dev.baton.timeline.EntryKind;
import dev.baton.timeline.Timeline;
import dev.baton.timeline.TimelineEntry;
import dev.baton.workspace.ChannelTokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Finds or creates the customer's chat, appends the message, reopens or queues the chat as asked. */
@ApplicationScoped
public class InboundService {

    public record Result(Accepted accepted, boolean created) {
    }

    /** Who wrote: {@code key} is a channel's customer key (null: the customer is keyed by phone); the phone may be withheld. */
    public record Customer(String key, String phone, String name) {
    }

    /**
     * One customer message from any channel: {@code entry} is the INBOUND entry to append (text and
     * parts filled in), {@code toChat} what the channel records on the chat under its lock.
     */
    public record Arrival(String externalId, Customer customer, boolean handoff, TimelineEntry entry, Consumer<Chat> toChat) {
    }

    private final Timeline timeline;
    private final ChatService chats;
    private final Outbox outbox;
    private final NoReplyTimer timers;

    public InboundService(Timeline timeline, ChatService chats, Outbox outbox, NoReplyTimer timers) {
        this.timers = timers;
        this.timeline = timeline;
        this.chats = chats;
        this.outbox = outbox;
    }

    /** The generic API channel: the workspace is the channel token's. */
    public Uni<Result> receive(String authorization, InboundMessage message) {
        TimelineEntry entry = TimelineEntry.of(EntryKind.INBOUND, null, message.text());
        return receive(() -> ChannelTokens.workspaceOf(authorization), new Arrival(message.externalId(),
                new Customer(null, message.customer().phone(), message.customer().name()), Boolean.TRUE.equals(message.handoff()),
                entry, chat -> {
                }));
    }

    /** Finds or creates the customer's chat and appends the message once per externalId, in one transaction. */
    public Uni<Result> receive(Supplier<Uni<UUID>> workspace, Arrival arrival) {
        // The duplicate check runs once, under the chat's lock: a concurrent duplicate of the same
        // customer has committed by then. A duplicate that created a chat rolls it back (discardFor).
        return outbox.transaction(() -> workspace.get()
                .chain(workspaceId -> customerChat(workspaceId, arrival.customer()).chain(chat ->
                        earlier(workspaceId, arrival.externalId()).chain(first -> first != null
                                ? discardFor(first)
                                : append(chat, arrival)))))
                // A concurrent delivery of the same externalId for another customer locked another chat and
                // committed first: the unique index refused ours, and the first result is the answer.
                .onFailure(SqlState::isUniqueViolation).recoverWithUni(failure -> Panache.withSession(() -> workspace.get()
                        .chain(workspaceId -> earlier(workspaceId, arrival.externalId())))
                        .onItem().ifNull().failWith(failure));
    }

    private Uni<Result> append(Chat chat, Arrival arrival) {
        if (arrival.customer().name() != null) {
            chat.customerName = arrival.customer().name();
        }
        arrival.toChat().accept(chat);
        TimelineEntry entry = arrival.entry();
        entry.externalId = arrival.externalId();
        Custody.Decision change = Custody.inbound(chat.status, arrival.handoff());
        Uni<?> custody = change == null ? Uni.createFrom().voidItem() : chats.applyWithoutActor(chat, change);
        return custody.chain(() -> timers.customerWrote(chat)).chain(() -> timeline.appendAndPublish(chat, entry))
                .map(saved -> new Result(new Accepted(chat.id, saved.seq), true));
    }

    /** A concurrent duplicate committed first: roll back the chat this delivery may have created, answer with the first result. */
    private static Uni<Result> discardFor(Result first) {
        return Panache.currentTransaction().invoke(Mutiny.Transaction::markForRollback).replaceWith(first);
    }

    private static Uni<Result> earlier(UUID workspaceId, String externalId) {
        return TimelineEntry.<TimelineEntry>find("workspaceId = ?1 and externalId = ?2", workspaceId, externalId).firstResult()
                .map(e -> e == null ? null : new Result(new Accepted(e.chatId, e.seq), false));
    }

    /**
     * The customer's one chat in this workspace, created if new, row-locked. A keyed customer whose
     * phone already has a chat (from the generic channel) takes that chat over instead of a second one.
     * Most messages belong to a chat that exists: it is looked up first, and created only if missing
     * (a concurrent first message of the same customer makes the insert do nothing; the second lookup
     * then finds and locks that chat).
     */
    private static Uni<Chat> customerChat(UUID workspaceId, Customer customer) {
        return existingChat(workspaceId, customer).chain(chat -> chat != null ? Uni.createFrom().item(chat)
                : createChat(workspaceId, customer).chain(() -> existingChat(workspaceId, customer)));
    }

    private static Uni<Chat> existingChat(UUID workspaceId, Customer customer) {
        if (customer.key() == null) {
            return lockedChat("customerPhone", workspaceId, customer.phone());
        }
        return lockedChat("customerKey", workspaceId, customer.key()).chain(chat -> {
            if (chat != null || customer.phone() == null) {
                return Uni.createFrom().item(chat);
            }
            return lockedChat("customerPhone", workspaceId, customer.phone()).invoke(byPhone -> {
                if (byPhone != null) {
                    byPhone.customerKey = customer.key();
                }
            });
        });
    }

    private static Uni<Integer> createChat(UUID workspaceId, Customer customer) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "insert into chat (id, workspace_id, customer_key, customer_phone, customer_name, status, version, last_seq, activity_at, "
                        + "created_at) values (?1, ?2, nullif(?3, ''), nullif(?4, ''), nullif(?5, ''), 'OPEN', 0, 0, ?6, ?6) on conflict do nothing")
                .setParameter(1, UUID.randomUUID())
                .setParameter(2, workspaceId)
                .setParameter(3, customer.key() == null ? "" : customer.key())
                .setParameter(4, customer.phone() == null ? "" : customer.phone())
                .setParameter(5, customer.name() == null ? "" : customer.name())
                .setParameter(6, now)
                .executeUpdate());
    }

    private static Uni<Chat> lockedChat(String field, UUID workspaceId, String value) {
        return Chat.<Chat>find("workspaceId = ?1 and " + field + " = ?2", workspaceId, value)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }
}
