package dev.baton.timeline;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.baton.realtime.Event;

/** A timeline entry was appended: the frame's data is the entry itself. */
public record MessageCreated(@JsonValue EntryView entry) implements Event {

    @Override
    public String type() {
        return "message.created";
    }
}
