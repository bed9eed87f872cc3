package dev.baton.chat;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.baton.common.RequestChecks;

/** Request bodies of the custody transitions. Bodies are optional where PRODUCT.md shows none. */
public final class ChatRequests {

    static final int NOTE_MAX = 1000;

    private ChatRequests() {
    }

    public record Transfer(@Schema(required = true) UUID toAgentId, String note, Boolean force) {

        public Transfer {
            new RequestChecks()
                    .field("toAgentId", toAgentId).required()
                    .text("note", note).multilinePlainText(NOTE_MAX)
                    .orThrow();
        }
    }

    public record Note(String note) {

        public Note {
            new RequestChecks().text("note", note).multilinePlainText(NOTE_MAX).orThrow();
        }
    }
}
