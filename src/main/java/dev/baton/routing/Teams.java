package dev.baton.routing;

import java.util.UUID;

import dev.baton.problem.ApiException;
import io.smallrye.mutiny.Uni;

/** Team look-ups other features share. */
public final class Teams {

    private Teams() {
    }

    /** The team's id if it belongs to the workspace (null stays null); 404 team-not-found otherwise. */
    public static Uni<UUID> inWorkspace(UUID workspaceId, UUID teamId) {
        if (teamId == null) {
            return Uni.createFrom().nullItem();
        }
        return Team.<Team>findById(teamId).map(team -> {
            if (team == null || !team.workspaceId.equals(workspaceId)) {
                throw ApiException.teamNotFound();
            }
            return team.id;
        });
    }
}
