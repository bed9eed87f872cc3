package dev.baton.agent;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
            @Schema(required = true) String displayName,
            @Schema(required = true, minLength = PASSWORD_MIN, maxLength = PASSWORD_MAX) String password,
            @Schema(required = true) Role role) {

        public NewAgent {
            account(username, displayName, password).field("role", role).required().orThrow();
        }
    }

    public record AgentChange(String displayName, Role role, Boolean active) {

        public AgentChange {
            new RequestChecks().text("displayName", displayName).plainText(DISPLAY_NAME_MAX).orThrow();
        }
    }

    public record AvailabilityChange(@Schema(required = true) Availability availability) {

        public AvailabilityChange {
            new RequestChecks().field("availability", availability).required().orThrow();
        }
    }
}
