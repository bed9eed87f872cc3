package dev.baton.channel;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.baton.agent.Agent;
import dev.baton.agent.Actors;
import dev.baton.agent.Role;
import dev.baton.auth.Caller;
import dev.baton.channel.ChannelRequests.ChannelPatch;
import dev.baton.channel.ChannelRequests.NewChannel;
import dev.baton.problem.ApiException;
import dev.baton.routing.Teams;
import dev.baton.problem.SqlState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Channels are managed by OWNERs only (PRODUCT.md: "manage channel tokens"); secrets go in sealed and never come out. */
@ApplicationScoped
public class ChannelService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretBox secrets;
    private final String defaultVersion;
    private final Actors actors;

    public ChannelService(SecretBox secrets, @ConfigProperty(name = "baton.whatsapp.graph-api-version") String defaultVersion,
            Actors actors) {
        this.secrets = secrets;
        this.defaultVersion = defaultVersion;
        this.actors = actors;
    }

    public String defaultVersion() {
        return defaultVersion;
    }

    public Uni<ChannelView> create(Caller caller, NewChannel request) {
        return Panache.withTransaction(() -> owner(caller).chain(actor -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            Channel channel = new Channel();
            channel.id = UUID.randomUUID();
            channel.workspaceId = actor.workspaceId;
            channel.type = request.type();
            channel.name = request.name();
            channel.phoneNumberId = request.phoneNumberId();
            channel.businessAccountId = request.businessAccountId();
            channel.graphApiVersion = request.graphApiVersion();
            channel.accessToken = secrets.seal(request.accessToken(), Channel.secretContext(channel.id, "accessToken"));
            channel.appSecret = secrets.seal(request.appSecret(), Channel.secretContext(channel.id, "appSecret"));
            channel.verifyToken = randomToken();
            channel.active = true;
            channel.paceAt = now;
            channel.createdAt = now;
            return channel.persistAndFlush().replaceWith(channel);
        })).onFailure(SqlState::isUniqueViolation).transform(e -> ApiException.conflict("conflict",
                "This workspace already has a channel for phone number id " + request.phoneNumberId() + "."))
                .map(this::view);
    }

    public Uni<List<ChannelView>> list(Caller caller) {
        return Panache.withSession(() -> owner(caller)
                .chain(actor -> Channel.<Channel>list("workspaceId = ?1 order by createdAt, id", actor.workspaceId))
                .map(channels -> channels.stream().map(this::view).toList()));
    }

    public Uni<ChannelView> get(Caller caller, UUID id) {
        return Panache.withSession(() -> owner(caller).chain(actor -> find(actor, id)).map(this::view));
    }

    public Uni<ChannelView> update(Caller caller, UUID id, ChannelPatch patch) {
        return Panache.withTransaction(() -> owner(caller).chain(actor -> find(actor, id).call(channel -> patch.defaultTeamId() == null
                ? Uni.createFrom().voidItem()
                : Teams.inWorkspace(actor.workspaceId, patch.newDefaultTeamId()).invoke(team -> channel.defaultTeamId = team)))
                .map(channel -> {
            if (patch.name() != null) {
                channel.name = patch.name();
            }
            if (patch.accessToken() != null) {
                channel.accessToken = secrets.seal(patch.accessToken(), Channel.secretContext(channel.id, "accessToken"));
            }
            if (patch.appSecret() != null) {
                channel.appSecret = secrets.seal(patch.appSecret(), Channel.secretContext(channel.id, "appSecret"));
            }
            if (patch.graphApiVersion() != null) {
                channel.graphApiVersion = patch.graphApiVersion();
            }
            if (patch.active() != null) {
                channel.active = patch.active();
            }
            return view(channel);
        }));
    }

    private ChannelView view(Channel channel) {
        return ChannelView.of(channel, defaultVersion);
    }

    /** The caller's channel, for an OWNER of its workspace (403 / 404 otherwise). Needs an open session. */
    public Uni<Channel> owned(Caller caller, UUID id) {
        return owner(caller).chain(actor -> find(actor, id));
    }

    private static Uni<Channel> find(Agent actor, UUID id) {
        return Channel.<Channel>findById(id).map(channel -> {
            if (channel == null || !channel.workspaceId.equals(actor.workspaceId)) {
                throw ApiException.channelNotFound();
            }
            return channel;
        });
    }

    private Uni<Agent> owner(Caller caller) {
        return actors.require(caller).map(actor -> {
            if (actor.role != Role.OWNER) {
                throw ApiException.forbidden("Only owners manage channels.");
            }
            return actor;
        });
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
