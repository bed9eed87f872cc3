package dev.baton.channel;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A channel as the API shows it: never its access token or app secret. */
public record ChannelView(UUID id, ChannelType type, String name, String phoneNumberId, String businessAccountId,
        String graphApiVersion, boolean active, String webhookPath, String verifyToken, OffsetDateTime createdAt,
        UUID defaultTeamId) {

    public static ChannelView of(Channel c, String defaultVersion) {
        return new ChannelView(c.id, c.type, c.name, c.phoneNumberId, c.businessAccountId,
                c.graphApiVersion == null ? defaultVersion : c.graphApiVersion, c.active, Channel.webhookPath(c.id), c.verifyToken,
                c.createdAt, c.defaultTeamId);
    }
}
