package dev.baton.timeline;

import java.util.List;
import java.util.UUID;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentService;
import dev.baton.auth.Caller;
import dev.baton.chat.Chat;
import dev.baton.chat.ChatService;
import dev.baton.problem.ApiException;
import dev.baton.realtime.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class TimelineService {

    /** A reply and whether it was created now (false: an earlier call with the same clientMessageId). */
    public record Posted(EntryView entry, boolean created) {
    }

    private final Timeline timeline;
    private final Outbox outbox;

    public TimelineService(Timeline timeline, Outbox outbox) {
        this.timeline = timeline;
        this.outbox = outbox;
    }

    public Uni<TimelinePage> read(Caller caller, UUID chatId, long after, int limit) {
        return Panache.withSession(() -> AgentService.requireActor(caller)
                .chain(actor -> ChatService.visible(actor, chatId))
                .chain(chat -> TimelineEntry.<TimelineEntry>find("chatId = ?1 and seq > ?2 order by seq", chatId, after)
                        .range(0, limit - 1).list()) // range bounds are inclusive
                .map(entries -> page(entries, limit)));
    }

    public Uni<TimelinePage> custody(Caller caller, UUID chatId) {
        return Panache.withSession(() -> AgentService.requireActor(caller)
                .chain(actor -> ChatService.visible(actor, chatId))
                .chain(chat -> TimelineEntry.<TimelineEntry>list("chatId = ?1 and kind = ?2 order by seq", chatId, EntryKind.CUSTODY))
                .map(entries -> new TimelinePage(entries.stream().map(EntryView::of).toList(), null)));
    }

    /** A reply to the customer: only the holder at commit time; the chat's row lock makes that check exact. */
    public Uni<Posted> reply(Caller caller, UUID chatId, String text, String clientMessageId) {
        return Panache.withTransaction(() -> AgentService.requireActor(caller)
                .chain(actor -> ChatService.lockInWorkspace(actor.workspaceId, chatId)
                        .chain(chat -> earlier(chat, actor, clientMessageId).chain(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().item(new Posted(EntryView.of(existing), false));
                            }
                            if (!actor.id.equals(chat.holderId)) {
                                throw ApiException.notChatHolder();
                            }
                            TimelineEntry entry = Timeline.entry(EntryKind.OUTBOUND, actor, text);
                            entry.clientMessageId = clientMessageId;
                            return timeline.appendAndPublish(chat, entry).map(saved -> new Posted(EntryView.of(saved), true));
                        }))))
                .invoke(outbox::committed);
    }

    /** A private note: supervisors on any chat, agents on chats they hold. */
    public Uni<EntryView> note(Caller caller, UUID chatId, String text) {
        return Panache.withTransaction(() -> AgentService.requireActor(caller)
                .chain(actor -> ChatService.lockInWorkspace(actor.workspaceId, chatId).chain(chat -> {
                    if (!actor.role.supervises() && !actor.id.equals(chat.holderId)) {
                        throw ApiException.notChatHolder();
                    }
                    return timeline.appendAndPublish(chat, Timeline.entry(EntryKind.NOTE, actor, text));
                })))
                .invoke(outbox::committed)
                .map(EntryView::of);
    }

    private static Uni<TimelineEntry> earlier(Chat chat, Agent author, String clientMessageId) {
        if (clientMessageId == null) {
            return Uni.createFrom().nullItem();
        }
        return TimelineEntry.<TimelineEntry>find("chatId = ?1 and authorId = ?2 and clientMessageId = ?3", chat.id, author.id,
                clientMessageId).firstResult();
    }

    private static TimelinePage page(List<TimelineEntry> entries, int limit) {
        List<EntryView> views = entries.stream().map(EntryView::of).toList();
        Long next = entries.size() == limit ? entries.get(entries.size() - 1).seq : null;
        return new TimelinePage(views, next);
    }
}
