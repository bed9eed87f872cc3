package dev.baton.chat;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.baton.agent.Agent;

/** A chat as the API and the events show it. */
public record ChatView(UUID id, UUID workspaceId, ChatStatus status, Holder holder, long version, long lastSeq,
        Customer customer, OffsetDateTime lastMessageAt, OffsetDateTime activityAt, OffsetDateTime createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID channelId,
        @JsonInclude(JsonInclude.Include.NON_NULL) OffsetDateTime windowExpiresAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID teamId) {

    public record Holder(UUID id, String username, String displayName) {
    }

    public record Customer(String phone, String name) {
    }

    /** @param holder the holding agent, or null; must be the agent whose id is {@code chat.holderId} */
    public static ChatView of(Chat chat, Agent holder) {
        Holder h = holder == null ? null : new Holder(holder.id, holder.username, holder.displayName);
        return new ChatView(chat.id, chat.workspaceId, chat.status, h, chat.version, chat.lastSeq,
                new Customer(chat.customerPhone, chat.customerName), chat.lastMessageAt, chat.activityAt, chat.createdAt,
                chat.channelId, chat.windowExpiresAt, chat.teamId);
    }
}
