package dev.baton.offer;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.baton.timeline.EntryView.Person;

/** An offer as the API and its events show it; {@code reason} and {@code endedAt} once it has ended. */
public record OfferView(UUID id, UUID chatId, Person from, Person to, String note, OfferStatus status,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason, OffsetDateTime createdAt, OffsetDateTime expiresAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) OffsetDateTime endedAt) {

    public static OfferView of(Offer o) {
        return new OfferView(o.id, o.chatId, new Person(o.fromAgentId, o.fromUsername), new Person(o.toAgentId, o.toUsername), o.note,
                o.status, o.reason, o.createdAt, o.expiresAt, o.endedAt);
    }
}
