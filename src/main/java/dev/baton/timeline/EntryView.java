package dev.baton.timeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.chat.CustodyChange;

/**
 * A timeline entry as the API and the events show it. Channel messages add structured parts
 * (media, reply, location, contacts, reaction, template, unsupported), {@code replyTo} and, for
 * replies carried by a channel, {@code delivery}; absent parts are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntryView(UUID chatId, long seq, EntryKind kind, @JsonInclude(JsonInclude.Include.ALWAYS) OffsetDateTime at,
        @JsonInclude(JsonInclude.Include.ALWAYS) Person author, @JsonInclude(JsonInclude.Include.ALWAYS) String text,
        String clientMessageId, String externalId, Custody custody,
        Object media, Object reply, Object location, Object contacts, Object reaction, Object template, String unsupported,
        String replyTo, Delivery delivery) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    public record Person(UUID id, String username) {
    }

    /**
     * A custody change: the action, who held it before and after, and for a TRANSFER by an accepted
     * offer that offer; the entry's author is the actor and its text the note; {@code reason} why the
     * system made it, for changes without an actor.
     */
    public record Custody(CustodyChange action, Person from, Person to, @JsonInclude(JsonInclude.Include.NON_NULL) UUID offerId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {
    }

    /** Where a reply is on its way to the customer; {@code error} is {code, title, detail} when FAILED. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delivery(DeliveryStatus status, Map<String, Object> error) {
    }

    public static EntryView of(TimelineEntry e) {
        Custody custody = e.kind == EntryKind.CUSTODY
                ? new Custody(e.custodyAction, person(e.fromAgentId, e.fromUsername), person(e.toAgentId, e.toUsername), e.offerId,
                        e.reason)
                : null;
        Map<String, Object> parts = e.content == null ? Map.of() : parse(e.content);
        Delivery delivery = e.deliveryStatus == null ? null
                : new Delivery(e.deliveryStatus, e.deliveryError == null ? null : parse(e.deliveryError));
        return new EntryView(e.chatId, e.seq, e.kind, e.createdAt, person(e.authorId, e.authorUsername), e.text,
                e.clientMessageId, e.externalId, custody, parts.get("media"), parts.get("reply"), parts.get("location"),
                parts.get("contacts"), parts.get("reaction"), parts.get("template"), (String) parts.get("unsupported"),
                e.replyTo, delivery);
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException("stored entry JSON is unreadable", e);
        }
    }

    private static Person person(UUID id, String username) {
        return id == null ? null : new Person(id, username);
    }
}
