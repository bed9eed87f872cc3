package dev.baton.workspace;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.ResponseStatus;

import dev.baton.agent.Agent;
import dev.baton.agent.AgentRequests;
import dev.baton.agent.AgentService;
import dev.baton.agent.AgentView;
import dev.baton.agent.Role;
import dev.baton.auth.LoginResource;
import dev.baton.auth.LoginResource.AccessToken;
import dev.baton.auth.PasswordHasher;
import dev.baton.auth.Public;
import dev.baton.common.RequestChecks;
import dev.baton.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Sign-up: a new workspace with its first OWNER. Switched by BATON_SIGNUP_ENABLED (off in prod by default). */
@Public
@Path("/api/v1/workspaces")
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceResource {

    static final int NAME_MAX = 200;
    static final String SLUG = "^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$";
    static final String SLUG_MESSAGE = "must be 3 to 63 lowercase letters, digits or '-'";

    public record Owner(@Schema(required = true, pattern = AgentRequests.USERNAME) String username,
            @Schema(required = true, maxLength = AgentRequests.DISPLAY_NAME_MAX) String displayName,
            @Schema(required = true, minLength = AgentRequests.PASSWORD_MIN, maxLength = AgentRequests.PASSWORD_MAX) String password) {

        public Owner {
            AgentRequests.account(username, displayName, password).orThrow();
        }
    }

    public record SignUp(@Schema(required = true, maxLength = NAME_MAX) String name,
            @Schema(required = true, pattern = SLUG) String slug,
            @Schema(required = true) Owner owner) {

        public SignUp {
            new RequestChecks()
                    .text("name", name).required().plainText(NAME_MAX)
                    .text("slug", slug).required().matches(SLUG, SLUG_MESSAGE)
                    .field("owner", owner).required()
                    .orThrow();
        }
    }

    public record WorkspaceView(UUID id, String slug, String name, OffsetDateTime createdAt) {
    }

    public record SignedUp(WorkspaceView workspace, AgentView owner, AccessToken token) {
    }

    private final boolean enabled;
    private final PasswordHasher passwords;
    private final LoginResource login;

    public WorkspaceResource(@ConfigProperty(name = "baton.signup-enabled") boolean enabled, PasswordHasher passwords,
            LoginResource login) {
        this.enabled = enabled;
        this.passwords = passwords;
        this.login = login;
    }

    @POST
    @ResponseStatus(201)
    public Uni<SignedUp> signUp(SignUp request) {
        RequestChecks.requireBody("request", request);
        if (!enabled) {
            throw ApiException.forbidden("Sign-up is disabled on this server.");
        }
        return passwords.hash(request.owner().password()).chain(hash -> Panache.withTransaction(() -> Workspace
                .count("slug", request.slug()).chain(taken -> {
                    if (taken > 0) {
                        throw ApiException.conflict("conflict", "slug: '" + request.slug() + "' is already taken");
                    }
                    Workspace ws = new Workspace();
                    ws.id = UUID.randomUUID();
                    ws.slug = request.slug();
                    ws.name = request.name();
                    ws.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
                    Agent owner = AgentService.newAgent(ws.id, request.owner().username(), request.owner().displayName(),
                            Role.OWNER, hash);
                    return ws.persistAndFlush().chain(() -> owner.persistAndFlush()).map(ignored -> new SignedUp(
                            new WorkspaceView(ws.id, ws.slug, ws.name, ws.createdAt), AgentView.of(owner), login.issue(owner)));
                })));
    }
}
