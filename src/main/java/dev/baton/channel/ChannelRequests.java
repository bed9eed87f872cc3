package dev.baton.channel;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import dev.baton.common.Params;

import dev.baton.common.RequestChecks;

/** Request bodies of the channel endpoints; each checks itself. Secrets never appear in {@code toString}. */
public final class ChannelRequests {

    static final int NAME_MAX = 100;
    static final String META_ID = "^[0-9]{1,32}$";
    static final String META_ID_MESSAGE = "must be 1 to 32 digits (the id Meta shows in the App Dashboard)";
    static final String SECRET = "^[\\x21-\\x7E]{1,1000}$";
    static final String SECRET_MESSAGE = "must be 1 to 1000 visible ASCII characters";
    static final String VERSION = "^v[0-9]{1,3}\\.[0-9]{1,2}$";
    static final String VERSION_MESSAGE = "must be a Graph API version such as v25.0";

    private ChannelRequests() {
    }

    public record NewChannel(@Schema(required = true) ChannelType type, @Schema(required = true, maxLength = NAME_MAX) String name,
            @Schema(required = true, pattern = META_ID) String phoneNumberId, @Schema(pattern = META_ID) String businessAccountId,
            @Schema(required = true, writeOnly = true) String accessToken, @Schema(required = true, writeOnly = true) String appSecret,
            @Schema(pattern = VERSION) String graphApiVersion) {

        public NewChannel {
            new RequestChecks()
                    .field("type", type).required()
                    .text("name", name).required().plainText(NAME_MAX)
                    .text("phoneNumberId", phoneNumberId).required().matches(META_ID, META_ID_MESSAGE)
                    .text("businessAccountId", businessAccountId).matches(META_ID, META_ID_MESSAGE)
                    .text("accessToken", accessToken).required().matches(SECRET, SECRET_MESSAGE)
                    .text("appSecret", appSecret).required().matches(SECRET, SECRET_MESSAGE)
                    .text("graphApiVersion", graphApiVersion).matches(VERSION, VERSION_MESSAGE)
                    .orThrow();
        }

        @Override
        public String toString() {
            return "NewChannel[" + type + ", " + name + ", " + phoneNumberId + "]";
        }
    }

    /**
     * Every field optional: what is present changes. {@code defaultTeamId} is read as a JSON node because
     * absent (unchanged) and {@code null} (no default team) differ.
     */
    public record ChannelPatch(@Schema(maxLength = NAME_MAX) String name, @Schema(writeOnly = true) String accessToken, @Schema(writeOnly = true) String appSecret,
            @Schema(pattern = VERSION) String graphApiVersion, Boolean active,
            @Schema(type = SchemaType.STRING, format = "uuid", nullable = true) JsonNode defaultTeamId) {

        public ChannelPatch {
            new RequestChecks()
                    .field("defaultTeamId", defaultTeamId).check(defaultTeamId == null || defaultTeamId.isNull()
                            || (defaultTeamId.isTextual() && Params.isUuid(defaultTeamId.textValue())), "must be a team id or null")
                    .text("name", name).plainText(NAME_MAX)
                    .text("accessToken", accessToken).matches(SECRET, SECRET_MESSAGE)
                    .text("appSecret", appSecret).matches(SECRET, SECRET_MESSAGE)
                    .text("graphApiVersion", graphApiVersion).matches(VERSION, VERSION_MESSAGE)
                    .orThrow();
        }

        @Override
        public String toString() {
            return "ChannelPatch[" + name + ", " + active + "]";
        }

        /** The new default team when {@code defaultTeamId} is present: null = none. */
        public UUID newDefaultTeamId() {
            return defaultTeamId.isNull() ? null : UUID.fromString(defaultTeamId.textValue());
        }
    }
}
