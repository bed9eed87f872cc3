package dev.baton.webhook;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A receiver of a workspace's events. Secrets are stored sealed ({@link dev.baton.channel.SecretBox}). */
@Entity
@Table(name = "webhook_endpoint")
public class WebhookEndpoint extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    public String url;
    public String description;
    /** Subscribed event types, comma-separated. */
    public String events;
    public byte[] secret;
    @Column(name = "previous_secret")
    public byte[] previousSecret;
    @Column(name = "previous_secret_until")
    public OffsetDateTime previousSecretUntil;
    public boolean active;
    @Column(name = "disabled_reason")
    public String disabledReason;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public List<String> eventList() {
        return Arrays.asList(events.split(","));
    }

    /** The associated data a sealed secret of this endpoint is bound to. */
    static String secretContext(UUID endpointId, String field) {
        return "webhook:" + endpointId + ":" + field;
    }
}
