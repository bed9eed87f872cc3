package dev.baton.realtime;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Every WebSocket event: {type, workspaceId, chatId, seq, at, performer, data}. */
public record Envelope(String type, UUID workspaceId, UUID chatId, Long seq, OffsetDateTime at, Performer performer, Object data) {

    public record Performer(UUID id, String username) {
    }
}
