package dev.baton.offer;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.baton.common.RequestChecks;

/** Request bodies of the offer endpoints; each checks itself. */
public final class OfferRequests {

    static final int NOTE_MAX = 1000;

    private OfferRequests() {
    }

    /** {@code expiresIn} is an ISO-8601 duration; its range is checked by the service (it comes from configuration). */
    public record Create(@Schema(required = true) UUID toAgentId, @Schema(maxLength = NOTE_MAX) String note, @Schema(example = "PT60S") String expiresIn) {

        public Create {
            new RequestChecks()
                    .field("toAgentId", toAgentId).required()
                    .text("note", note).multilinePlainText(NOTE_MAX)
                    .field("expiresIn", expiresIn).check(expiresIn == null || duration(expiresIn) != null,
                            "must be an ISO-8601 duration such as PT60S")
                    .orThrow();
        }

        Duration expiresInDuration() {
            return expiresIn == null ? null : duration(expiresIn);
        }
    }

    public record Decline(@Schema(maxLength = NOTE_MAX) String reason) {

        public Decline {
            new RequestChecks().text("reason", reason).multilinePlainText(NOTE_MAX).orThrow();
        }
    }

    private static Duration duration(String value) {
        try {
            return value.length() > 40 ? null : Duration.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
