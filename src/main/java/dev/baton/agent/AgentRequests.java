package dev.baton.agent;

import dev.baton.common.PlainText;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the agent endpoints. */
public final class AgentRequests {

    public static final String USERNAME = "^[A-Za-z0-9][A-Za-z0-9_.-]{2,63}$";
    public static final String USERNAME_MESSAGE = "must be 3 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit";

    private AgentRequests() {
    }

    public record NewAgent(
            @NotNull @Pattern(regexp = USERNAME, message = USERNAME_MESSAGE) String username,
            @NotNull @PlainText(max = 200) String displayName,
            @NotNull @Size(min = 8, max = 200) String password,
            @NotNull Role role) {
    }

    public record AgentChange(
            @PlainText(max = 200) String displayName,
            Role role,
            Boolean active) {
    }

    public record AvailabilityChange(@NotNull Availability availability) {
    }
}
