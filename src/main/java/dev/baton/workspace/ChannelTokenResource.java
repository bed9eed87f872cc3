package dev.baton.workspace;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.ResponseStatus;

import dev.baton.agent.Actors;
import dev.baton.agent.Role;
import dev.baton.auth.CurrentCaller;
import dev.baton.common.RequestChecks;
import dev.baton.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Channel tokens authenticate the channel that delivers customer messages. OWNER only; shown once. */
@Path("/api/v1/channel-tokens")
@Produces(MediaType.APPLICATION_JSON)
public class ChannelTokenResource {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The body is optional: a token without a name is called "channel". */
    public record NewToken(@Schema(maxLength = NewToken.NAME_MAX) String name) {

        static final int NAME_MAX = 100;

        public NewToken {
            new RequestChecks().text("name", name).plainText(NAME_MAX).orThrow();
        }
    }

    public record IssuedToken(UUID id, String name, String token, OffsetDateTime createdAt) {
    }

    private final CurrentCaller caller;
    private final Actors actors;

    public ChannelTokenResource(CurrentCaller caller, Actors actors) {
        this.caller = caller;
        this.actors = actors;
    }

    @POST
    @ResponseStatus(201)
    public Uni<IssuedToken> create(NewToken request) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = "bct_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return Panache.withTransaction(() -> actors.require(caller.get()).chain(actor -> {
            if (actor.role != Role.OWNER) {
                throw ApiException.forbidden("Only owners manage channel tokens.");
            }
            ChannelToken entity = new ChannelToken();
            entity.id = UUID.randomUUID();
            entity.workspaceId = actor.workspaceId;
            entity.name = request == null || request.name() == null ? "channel" : request.name();
            entity.tokenHash = ChannelTokens.hash(token);
            entity.createdBy = actor.id;
            entity.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            return entity.persist().map(ignored -> new IssuedToken(entity.id, entity.name, token, entity.createdAt));
        }));
    }
}
