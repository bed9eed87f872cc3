package dev.baton.agent;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import dev.baton.common.RequestChecks;

/** Request bodies of the agent endpoints; each checks itself, and the OpenAPI document shows the same limits. */
public final class AgentRequests {

    public static final String USERNAME = "^[A-Za-z0-9][A-Za-z0-9_.-]{2,63}$";
    public static final String USERNAME_MESSAGE = "must be 3 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit";
    public static final int DISPLAY_NAME_MAX = 200;
    public static final int PASSWORD_MIN = 8;
    public static final int PASSWORD_MAX = 200;

    private AgentRequests() {
    }

    /** The account fields of a new agent, whether an owner creates it or it signs up a workspace. */
    public static RequestChecks.Text account(String username, String displayName, String password) {
        return new RequestChecks()
                .text("username", username).required().matches(USERNAME, USERNAME_MESSAGE)
                .text("displayName", displayName).required().plainText(DISPLAY_NAME_MAX)
                .text("password", password).required().length(PASSWORD_MIN, PASSWORD_MAX);
    }

    public record NewAgent(
            @Schema(required = true, pattern = USERNAME) String username,
            @Schema(required = true, maxLength = DISPLAY_NAME_MAX) String displayName,
            @Schema(required = true, minLength = PASSWORD_MIN, maxLength = PASSWORD_MAX) String password,
            @Schema(required = true) Role role) {

        public NewAgent {
            account(username, displayName, password).field("role", role).required().orThrow();
        }
    }

    /**
     * {@code maxChats} is read as a JSON node because absent and {@code null} differ: absent leaves the
     * limit unchanged, {@code null} clears the agent's own limit (the workspace default applies again),
     * an integer of 0 or more sets it.
     */
    public record AgentChange(@Schema(maxLength = DISPLAY_NAME_MAX) String displayName, Role role, Boolean active,
            @Schema(type = SchemaType.INTEGER, nullable = true, minimum = "0") JsonNode maxChats) {

        public AgentChange {
            new RequestChecks().text("displayName", displayName).plainText(DISPLAY_NAME_MAX)
                    .field("maxChats", maxChats).check(maxChats == null || maxChats.isNull()
                            || (maxChats.isIntegralNumber() && maxChats.canConvertToInt() && maxChats.intValue() >= 0),
                            "must be an integer of 0 or more, or null for the workspace default")
                    .orThrow();
        }

        /** Whether the request changes {@code maxChats}. */
        public boolean changesMaxChats() {
            return maxChats != null;
        }

        /** The new own limit (null = none, the workspace default applies); only when {@link #changesMaxChats}. */
        public Integer newMaxChats() {
            return maxChats.isNull() ? null : maxChats.intValue();
        }
    }

    public record AvailabilityChange(@Schema(required = true) Availability availability) {

        public AvailabilityChange {
            new RequestChecks().field("availability", availability).required().orThrow();
        }
    }
}
