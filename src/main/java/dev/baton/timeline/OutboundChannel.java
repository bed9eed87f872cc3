package dev.baton.timeline;

import dev.baton.chat.Chat;
import io.smallrye.mutiny.Uni;

/**
 * Carries replies to the customer over the chat's channel. Called by {@link TimelineService#reply}
 * inside the reply's transaction, under the chat's row lock, so the entry and its delivery job
 * commit together or not at all. The timeline knows this interface only, not the channels.
 */
public interface OutboundChannel {

    /**
     * Refuses (by throwing an ApiException) a reply the chat's channel cannot carry now, and marks
     * an entry it will carry (its delivery); changes nothing else. Runs before the entry is written.
     */
    void check(Chat chat, TimelineEntry entry, boolean template);

    /** Queues the written entry for delivery when {@link #check} marked it. */
    Uni<Void> enqueue(Chat chat, TimelineEntry entry);

    /** A transaction that enqueued something has committed: deliver soon. */
    void committed();
}
