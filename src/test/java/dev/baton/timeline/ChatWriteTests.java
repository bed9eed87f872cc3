package dev.baton.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.baton.chat.Chat;
import dev.baton.support.Api;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

/**
 * {@link Timeline#append} writes the chat's changed columns in the statement of the entry and its
 * event, and Hibernate's flush then leaves them alone: what changed before the append must be in the
 * row (written by the statement), and what changes after it in the same transaction too (flushed as
 * usual). Losing either would lose a custody change or a customer's data without any error.
 */
@QuarkusTest
class ChatWriteTests {

    @Inject
    Timeline timeline;

    @Test
    void shouldKeepTheChangesMadeBeforeAndAfterAnAppend() throws Throwable {
        Api api = Api.signUp();
        UUID chatId = UUID.fromString(api.chatHeldBy(api.owner));
        OffsetDateTime queued = OffsetDateTime.parse("2026-01-02T03:04:05Z");
        AtomicReference<Chat.Changes> pending = new AtomicReference<>();
        AtomicLong seqBefore = new AtomicLong();

        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Chat.<Chat>findById(chatId, LockModeType.PESSIMISTIC_WRITE)
                .chain(chat -> {
                    seqBefore.set(chat.lastSeq);
                    chat.customerName = "Written By The Append";
                    pending.set(chat.changes());
                    return timeline.appendAndPublish(chat, TimelineEntry.of(EntryKind.INBOUND, null, "hello"))
                            .invoke(() -> chat.queuedAt = queued);
                })));

        // The native path was taken (the entity is enhanced with a dirty tracker), not Hibernate's flush alone.
        assertNotNull(pending.get(), "the chat's changes could not be written with the entry");
        assertTrue(pending.get().columns().contains("customer_name"), "pending columns: " + pending.get().columns());

        Chat stored = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Chat.<Chat>findById(chatId)));
        assertEquals("Written By The Append", stored.customerName, "the change made before the append");
        assertEquals(queued.toInstant(), stored.queuedAt.toInstant(), "the change made after the append");
        assertEquals(seqBefore.get() + 1, stored.lastSeq, "the seq handed out");
        TimelineEntry entry = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> TimelineEntry.<TimelineEntry>find("chatId = ?1 and seq = ?2", chatId, stored.lastSeq).firstResult()));
        assertNotNull(entry, "the entry at the chat's last seq");
        assertEquals("hello", entry.text);
    }
}
