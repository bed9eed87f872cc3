package dev.baton.routing;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import dev.baton.chat.ChatView;

/** Teams, routing settings and the queue as the API shows them. */
public final class RoutingViews {

    private RoutingViews() {
    }

    public record TeamView(UUID id, String name, List<UUID> memberIds, OffsetDateTime createdAt) {
    }

    public record SettingsView(RoutingMode mode, Integer defaultMaxChats, String noReplyTimeout) {

        static SettingsView of(RoutingSettings s) {
            return new SettingsView(s.mode, s.defaultMaxChats, s.noReplyTimeout() == null ? null : s.noReplyTimeout().toString());
        }
    }

    /** One waiting chat: its place in the listed queue (1 = next), and since when it waits. */
    public record QueueItem(int position, OffsetDateTime waitingSince, ChatView chat) {
    }

    public record Queue(List<QueueItem> items) {
    }
}
