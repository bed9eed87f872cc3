package dev.baton.chat;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.baton.common.RequestChecks;

/** Request bodies of the custody transitions. Bodies are optional where PRODUCT.md shows none. */
public final class ChatRequests {

    static final int NOTE_MAX = 1000;

    private ChatRequests() {
    }

    /** To an agent ({@code toAgentId}) or into a team's queue ({@code toTeamId}): exactly one of the two. */
    public record Transfer(UUID toAgentId, @Schema(maxLength = NOTE_MAX) String note, Boolean force, UUID toTeamId) {

        public Transfer {
            new RequestChecks()
                    .field("toAgentId", toAgentId).check(toAgentId != null || toTeamId != null, "one of toAgentId and toTeamId is required")
                    .field("toTeamId", toTeamId).check(toAgentId == null || toTeamId == null, "give toAgentId or toTeamId, not both")
                    .text("note", note).multilinePlainText(NOTE_MAX)
                    .orThrow();
        }
    }

    public record Note(@Schema(maxLength = NOTE_MAX) String note) {

        public Note {
            new RequestChecks().text("note", note).multilinePlainText(NOTE_MAX).orThrow();
        }
    }
}
