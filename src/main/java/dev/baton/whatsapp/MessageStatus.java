package dev.baton.whatsapp;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.baton.realtime.Event;
import dev.baton.timeline.DeliveryStatus;

/** {@code message.status}: an OUTBOUND entry's delivery moved forward; {@code error} only when it FAILED. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageStatus(long seq, DeliveryStatus status, Map<String, Object> error) implements Event {

    @Override
    public String type() {
        return "message.status";
    }
}
