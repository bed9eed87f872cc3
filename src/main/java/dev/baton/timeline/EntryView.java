package dev.baton.timeline;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.baton.chat.CustodyChange;

/** A timeline entry as the API and the events show it. */
public record EntryView(UUID chatId, long seq, EntryKind kind, OffsetDateTime at, Person author, String text,
        @JsonInclude(JsonInclude.Include.NON_NULL) String clientMessageId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String externalId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Custody custody) {

    public record Person(UUID id, String username) {
    }

    /** A custody change: the action, who held it before and after; the entry's author is the actor and its text the note. */
    public record Custody(CustodyChange action, Person from, Person to) {
    }

    public static EntryView of(TimelineEntry e) {
        Custody custody = e.kind == EntryKind.CUSTODY
                ? new Custody(e.custodyAction, person(e.fromAgentId, e.fromUsername), person(e.toAgentId, e.toUsername))
                : null;
        return new EntryView(e.chatId, e.seq, e.kind, e.createdAt, person(e.authorId, e.authorUsername), e.text,
                e.clientMessageId, e.externalId, custody);
    }

    private static Person person(UUID id, String username) {
        return id == null ? null : new Person(id, username);
    }
}
