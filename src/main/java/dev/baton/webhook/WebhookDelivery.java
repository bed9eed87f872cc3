package dev.baton.webhook;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One message to one endpoint and how its attempts went. Written by {@link WebhookConsumer}, claimed
 * and updated by {@link WebhookSender} (plain SQL); read and replayed here through the API.
 */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery extends PanacheEntityBase {

    public static final String PENDING = "PENDING";
    public static final String SENDING = "SENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String FAILED = "FAILED";

    @Id
    public UUID id;
    @Column(name = "endpoint_id")
    public UUID endpointId;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    @Column(name = "message_id")
    public String messageId;
    @Column(name = "event_type")
    public String eventType;
    @Column(columnDefinition = "text")
    public String body;
    public String status;
    public int attempts;
    /** PENDING: when the next attempt is due; SENDING: when the claim's lease ends. */
    @Column(name = "due_at")
    public OffsetDateTime dueAt;
    @Column(name = "last_attempt_at")
    public OffsetDateTime lastAttemptAt;
    @Column(name = "response_status")
    public Integer responseStatus;
    @Column(name = "last_error")
    public String lastError;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "delivered_at")
    public OffsetDateTime deliveredAt;
}
