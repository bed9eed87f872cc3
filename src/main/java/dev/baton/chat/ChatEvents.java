package dev.baton.chat;

import dev.baton.realtime.Event;
import dev.baton.timeline.EntryView;

/** The real-time events of a custody change, one record per type (README, WebSocket protocol). */
public final class ChatEvents {

    private ChatEvents() {
    }

    public record ChatAssigned(ChatView chat, String note, EntryView entry) implements Event {
        @Override
        public String type() {
            return "chat.assigned";
        }
    }

    public record ChatRevoked(RevocationReason reason) implements Event {
        @Override
        public String type() {
            return "chat.revoked";
        }
    }

    public record ChatQueued(ChatView chat) implements Event {
        @Override
        public String type() {
            return "chat.queued";
        }
    }

    public record ChatUpdated(ChatView chat, CustodyChange action) implements Event {
        @Override
        public String type() {
            return "chat.updated";
        }
    }
}
