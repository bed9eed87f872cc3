package dev.baton.routing;

import java.time.Duration;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A workspace's routing settings; a workspace without a row has the defaults of {@link #defaults}. */
@Entity
@Table(name = "routing_settings")
public class RoutingSettings extends PanacheEntityBase {

    @Id
    @Column(name = "workspace_id")
    public UUID workspaceId;
    @Enumerated(EnumType.STRING)
    public RoutingMode mode;
    @Column(name = "default_max_chats")
    public Integer defaultMaxChats;
    @Column(name = "no_reply_timeout_s")
    public Long noReplyTimeoutSeconds;

    public static RoutingSettings defaults(UUID workspaceId) {
        RoutingSettings settings = new RoutingSettings();
        settings.workspaceId = workspaceId;
        settings.mode = RoutingMode.MANUAL;
        return settings;
    }

    public Duration noReplyTimeout() {
        return noReplyTimeoutSeconds == null ? null : Duration.ofSeconds(noReplyTimeoutSeconds);
    }
}
