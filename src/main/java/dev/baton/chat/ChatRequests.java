package dev.baton.chat;

import java.util.UUID;

import dev.baton.common.PlainText;
import jakarta.validation.constraints.NotNull;

/** Request bodies of the custody transitions. Bodies are optional where PRODUCT.md shows none. */
public final class ChatRequests {

    private ChatRequests() {
    }

    public record Transfer(@NotNull UUID toAgentId, @PlainText(max = 1000, multiline = true) String note, Boolean force) {
    }

    public record Note(@PlainText(max = 1000, multiline = true) String note) {
    }
}
