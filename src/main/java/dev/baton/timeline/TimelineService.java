package dev.baton.timeline;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.agent.Actors;
import dev.baton.agent.Agent;
import dev.baton.auth.Caller;
import dev.baton.chat.Chat;
import dev.baton.chat.ChatRepository;
import dev.baton.problem.ApiException;
import dev.baton.realtime.Outbox;
import dev.baton.routing.NoReplyTimer;
import dev.baton.timeline.TimelineRequests.Reply;
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
    private final OutboundChannel channel;
    private final ObjectMapper json;
    private final Actors actors;
    private final ChatRepository chats;
    private final NoReplyTimer timers;

    public TimelineService(Timeline timeline, Outbox outbox, OutboundChannel channel, ObjectMapper json, Actors actors,
            ChatRepository chats, NoReplyTimer timers) {
        this.timers = timers;
        this.timeline = timeline;
        this.outbox = outbox;
        this.channel = channel;
        this.json = json;
        this.actors = actors;
        this.chats = chats;
    }

    public Uni<TimelinePage> read(Caller caller, UUID chatId, long after, int limit) {
        return Panache.withSession(() -> actors.require(caller)
                .chain(actor -> chats.visible(actor, chatId))
                .chain(chat -> TimelineEntry.<TimelineEntry>find("chatId = ?1 and seq > ?2 order by seq", chatId, after)
                        .range(0, limit - 1).list()) // range bounds are inclusive
                .map(entries -> page(entries, limit)));
    }

    public Uni<TimelinePage> custody(Caller caller, UUID chatId) {
        return Panache.withSession(() -> actors.require(caller)
                .chain(actor -> chats.visible(actor, chatId))
                .chain(chat -> TimelineEntry.<TimelineEntry>list("chatId = ?1 and kind = ?2 order by seq", chatId, EntryKind.CUSTODY))
                .map(entries -> new TimelinePage(entries.stream().map(EntryView::of).toList(), null)));
    }

    /** A reply to the customer: only the holder at commit time; the chat's row lock makes that check exact. */
    public Uni<Posted> reply(Caller caller, UUID chatId, Reply reply) {
        return outbox.transaction(() -> actors.require(caller)
                .chain(actor -> chats.lockInWorkspace(actor.workspaceId, chatId)
                        .chain(chat -> earlier(chat, actor, reply.clientMessageId()).chain(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().item(new Posted(EntryView.of(existing), false));
                            }
                            if (!actor.id.equals(chat.holderId)) {
                                throw ApiException.notChatHolder();
                            }
                            TimelineEntry entry = TimelineEntry.of(EntryKind.OUTBOUND, actor, reply.text());
                            entry.clientMessageId = reply.clientMessageId();
                            if (reply.template() != null) {
                                entry.content = json(Map.of("template", reply.template()));
                            }
                            channel.check(chat, entry, reply.template() != null);
                            return timeline.appendAndPublish(chat, entry)
                                    .call(saved -> channel.enqueue(chat, saved))
                                    .call(() -> timers.replied(chat))
                                    .map(saved -> new Posted(EntryView.of(saved), true));
                        }))))
                // The send job committed with the entry: wake this instance's sender.
                .invoke(posted -> {
                    if (posted.created()) {
                        channel.committed();
                    }
                });
    }

    /** A private note: supervisors on any chat, agents on chats they hold. */
    public Uni<EntryView> note(Caller caller, UUID chatId, String text) {
        return outbox.transaction(() -> actors.require(caller)
                .chain(actor -> chats.lockInWorkspace(actor.workspaceId, chatId).chain(chat -> {
                    if (!actor.role.supervises() && !actor.id.equals(chat.holderId)) {
                        throw ApiException.notChatHolder();
                    }
                    return timeline.appendAndPublish(chat, TimelineEntry.of(EntryKind.NOTE, actor, text));
                })))
                .map(EntryView::of);
    }

    private static Uni<TimelineEntry> earlier(Chat chat, Agent author, String clientMessageId) {
        if (clientMessageId == null) {
            return Uni.createFrom().nullItem();
        }
        return TimelineEntry.<TimelineEntry>find("chatId = ?1 and authorId = ?2 and clientMessageId = ?3", chat.id, author.id,
                clientMessageId).firstResult();
    }

    private String json(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TimelinePage page(List<TimelineEntry> entries, int limit) {
        List<EntryView> views = entries.stream().map(EntryView::of).toList();
        Long next = entries.size() == limit ? entries.get(entries.size() - 1).seq : null;
        return new TimelinePage(views, next);
    }
}
