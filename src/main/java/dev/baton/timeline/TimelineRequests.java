package dev.baton.timeline;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.baton.common.RequestChecks;

/** Request bodies of the timeline endpoints; each checks itself. */
public final class TimelineRequests {

    public static final int MAX_TEXT = 4096;
    static final String CLIENT_MESSAGE_ID = "^[A-Za-z0-9_.:-]{1,100}$";
    static final String CLIENT_MESSAGE_ID_MESSAGE = "must be 1 to 100 letters, digits, '_', '.', ':' or '-'";

    private TimelineRequests() {
    }

    public record Reply(@Schema(required = true) String text, @Schema(pattern = CLIENT_MESSAGE_ID) String clientMessageId) {

        public Reply {
            new RequestChecks()
                    .text("text", text).required().multilinePlainText(MAX_TEXT)
                    .text("clientMessageId", clientMessageId).matches(CLIENT_MESSAGE_ID, CLIENT_MESSAGE_ID_MESSAGE)
                    .orThrow();
        }
    }

    public record NewNote(@Schema(required = true) String text) {

        public NewNote {
            new RequestChecks().text("text", text).required().multilinePlainText(MAX_TEXT).orThrow();
        }
    }
}
