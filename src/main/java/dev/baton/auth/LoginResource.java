package dev.baton.auth;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentRequests;
import dev.baton.agent.AgentView;
import dev.baton.common.RequestChecks;
import dev.baton.workspace.Workspace;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import io.vertx.core.http.HttpServerRequest;

@Public
@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public class LoginResource {

    /** Only lengths: a name that breaks the sign-up rules matches no account and gets the generic 401. */
    public record Login(@Schema(required = true, maxLength = Login.WORKSPACE_MAX) String workspace,
            @Schema(required = true, maxLength = Login.USERNAME_MAX) String username,
            @Schema(required = true, maxLength = AgentRequests.PASSWORD_MAX) String password) {

        // The longest slug and username that can exist.
        static final int WORKSPACE_MAX = 63;
        static final int USERNAME_MAX = 64;

        public Login {
            new RequestChecks()
                    .text("workspace", workspace).required().length(0, WORKSPACE_MAX)
                    .text("username", username).required().length(0, USERNAME_MAX)
                    .text("password", password).required().length(0, AgentRequests.PASSWORD_MAX)
                    .orThrow();
        }
    }

    public record AccessToken(String accessToken, String tokenType, long expiresIn, AgentView agent) {
    }

    private final TokenService tokens;
    private final PasswordHasher passwords;
    private final LoginThrottle throttle;
    private final ClientAddress clientAddress;

    public LoginResource(TokenService tokens, PasswordHasher passwords, LoginThrottle throttle, ClientAddress clientAddress) {
        this.tokens = tokens;
        this.passwords = passwords;
        this.throttle = throttle;
        this.clientAddress = clientAddress;
    }

    /** One generic 401 for every failure, after the same hashing work, so nothing is learnt from the answer or its timing. */
    @POST
    @Path("/login")
    public Uni<AccessToken> login(Login request, @Context HttpServerRequest http) {
        RequestChecks.requireBody("request", request);
        LoginThrottle.Attempt attempt = throttle.begin(request.workspace(), request.username(), clientAddress.of(http));
        // PostgreSQL refuses text with NUL outright; such a name can match nothing, so it gets the same 401.
        boolean storable = request.workspace().indexOf('\0') < 0 && request.username().indexOf('\0') < 0;
        Uni<Agent> found = !storable ? Uni.createFrom().nullItem()
                : Panache.withSession(() -> Workspace.<Workspace>find("slug", request.workspace()).firstResult()
                        .chain(ws -> ws == null ? Uni.createFrom().nullItem()
                                : Agent.<Agent>find("workspaceId = ?1 and lower(username) = lower(?2)", ws.id, request.username()).firstResult()));
        return found.chain(agent -> passwords.matches(request.password(), agent == null ? null : agent.passwordHash)
                .map(ok -> {
                    if (!ok || !agent.active) {
                        throw attempt.failed();
                    }
                    attempt.succeeded();
                    return issue(agent);
                }))
                .eventually(attempt::release);
    }

    public AccessToken issue(Agent agent) {
        return new AccessToken(tokens.issue(agent.id, agent.workspaceId, agent.tokenEpoch), "Bearer", tokens.ttl().toSeconds(), AgentView.of(agent));
    }
}
