package dev.baton.inbound;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.baton.chat.Chat;
import dev.baton.chat.ChatService;
import dev.baton.chat.Custody;
import dev.baton.inbound.InboundResource.Accepted;
import dev.baton.inbound.InboundResource.InboundMessage;
import dev.baton.problem.SqlState;
import dev.baton.realtime.Outbox;
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

    private final Timeline timeline;
    private final ChatService chats;
    private final Outbox outbox;

    public InboundService(Timeline timeline, ChatService chats, Outbox outbox) {
        this.timeline = timeline;
        this.chats = chats;
        this.outbox = outbox;
    }

    public Uni<Result> receive(String authorization, InboundMessage message) {
        // The duplicate check runs once, under the chat's lock: a concurrent duplicate of the same
        // customer has committed by then. A duplicate that created a chat rolls it back (discardFor).
        return outbox.transaction(() -> ChannelTokens.workspaceOf(authorization)
                .chain(workspaceId -> customerChat(workspaceId, message).chain(chat ->
                        earlier(workspaceId, message.externalId()).chain(first -> first != null
                                ? discardFor(first)
                                : append(chat, message)))))
                // A concurrent delivery of the same externalId for another customer locked another chat and
                // committed first: the unique index refused ours, and the first result is the answer.
                .onFailure(SqlState::isUniqueViolation).recoverWithUni(failure -> Panache.withSession(() -> ChannelTokens
                        .workspaceOf(authorization).chain(workspaceId -> earlier(workspaceId, message.externalId())))
                        .onItem().ifNull().failWith(failure));
    }

    private Uni<Result> append(Chat chat, InboundMessage message) {
        if (message.customer().name() != null) {
            chat.customerName = message.customer().name();
        }
        TimelineEntry entry = TimelineEntry.of(EntryKind.INBOUND, null, message.text());
        entry.externalId = message.externalId();
        Custody.Decision change = Custody.inbound(chat.status, Boolean.TRUE.equals(message.handoff()));
        Uni<?> custody = change == null ? Uni.createFrom().voidItem() : chats.applyWithoutActor(chat, change);
        return custody.chain(() -> timeline.appendAndPublish(chat, entry))
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

    /** The customer's one chat in this workspace, created if new, row-locked. */
    private static Uni<Chat> customerChat(UUID workspaceId, InboundMessage message) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "insert into chat (id, workspace_id, customer_phone, customer_name, status, version, last_seq, activity_at, created_at) "
                        + "values (?1, ?2, ?3, nullif(?4, ''), 'OPEN', 0, 0, ?5, ?5) on conflict (workspace_id, customer_phone) do nothing")
                .setParameter(1, UUID.randomUUID())
                .setParameter(2, workspaceId)
                .setParameter(3, message.customer().phone())
                .setParameter(4, message.customer().name() == null ? "" : message.customer().name())
                .setParameter(5, now)
                .executeUpdate())
                .chain(() -> Chat.<Chat>find("workspaceId = ?1 and customerPhone = ?2", workspaceId, message.customer().phone())
                        .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult());
    }
}
