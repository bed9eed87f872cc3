package dev.baton.routing;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.baton.common.RequestChecks;

/** Request bodies of the team and routing endpoints; each checks itself. */
public final class RoutingRequests {

    static final int TEAM_NAME_MAX = 100;
    static final int MEMBERS_MAX = 1000;
    static final Duration TIMEOUT_MIN = Duration.ofSeconds(1);
    static final Duration TIMEOUT_MAX = Duration.ofDays(7);

    private RoutingRequests() {
    }

    public record NewTeam(@Schema(required = true, maxLength = TEAM_NAME_MAX) String name) {

        public NewTeam {
            new RequestChecks().text("name", name).required().plainText(TEAM_NAME_MAX).orThrow();
        }
    }

    public record TeamPatch(@Schema(maxLength = TEAM_NAME_MAX) String name) {

        public TeamPatch {
            new RequestChecks().text("name", name).plainText(TEAM_NAME_MAX).orThrow();
        }
    }

    /** The team's members after the call: the whole list, replacing the previous one. */
    public record Members(@Schema(required = true, maxItems = MEMBERS_MAX) List<UUID> agentIds) {

        public Members {
            new RequestChecks().field("agentIds", agentIds).required()
                    .check(agentIds == null || agentIds.size() <= MEMBERS_MAX, "must have at most " + MEMBERS_MAX + " ids")
                    .check(agentIds == null || agentIds.stream().allMatch(id -> id != null), "must not contain null")
                    .orThrow();
        }
    }

    /**
     * The whole routing configuration (PUT replaces it): {@code noReplyTimeout} is an ISO-8601 duration
     * between PT1S and P7D, or null for none; {@code defaultMaxChats} 0 or more, or null for no limit.
     */
    public record Settings(@Schema(required = true) RoutingMode mode, @Schema(nullable = true, minimum = "0") Integer defaultMaxChats,
            @Schema(nullable = true, example = "PT5M") String noReplyTimeout) {

        public Settings {
            new RequestChecks()
                    .field("mode", mode).required()
                    .field("defaultMaxChats", defaultMaxChats).check(defaultMaxChats == null || defaultMaxChats >= 0, "must be 0 or more")
                    .field("noReplyTimeout", noReplyTimeout).check(noReplyTimeout == null || timeout(noReplyTimeout) != null,
                            "must be an ISO-8601 duration between PT1S and P7D, in whole seconds")
                    .orThrow();
        }

        Duration timeout() {
            return noReplyTimeout == null ? null : timeout(noReplyTimeout);
        }

        private static Duration timeout(String text) {
            try {
                Duration d = Duration.parse(text);
                return d.compareTo(TIMEOUT_MIN) >= 0 && d.compareTo(TIMEOUT_MAX) <= 0 && d.getNano() == 0 ? d : null;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
