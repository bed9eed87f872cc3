package dev.baton.offer;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.baton.chat.ChatView;
import dev.baton.realtime.Event;

/** The real-time events of offers (README, WebSocket protocol). */
public final class OfferEvents {

    private OfferEvents() {
    }

    /** {@code offer.created}, {@code offer.accepted|declined|expired|cancelled}: the offer is the frame's data. */
    public record OfferChanged(@JsonIgnore String type, @JsonUnwrapped OfferView offer) implements Event {

        static OfferChanged of(OfferView offer) {
            String type = offer.status() == OfferStatus.PENDING ? "offer.created" : "offer." + offer.status().name().toLowerCase();
            return new OfferChanged(type, offer);
        }
    }

    /** Owners and managers: the chat's offer changed ({@code chat.updated} with the offer, no custody action). */
    public record ChatOfferUpdated(ChatView chat, OfferView offer) implements Event {
        @Override
        public String type() {
            return "chat.updated";
        }
    }
}
