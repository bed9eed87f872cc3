package dev.baton.realtime;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A typed real-time event: the record is the frame's {@code data}, {@link #type()} its {@code type}. */
public interface Event {

    @JsonIgnore
    String type();
}
