package dev.baton.workspace;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A credential for the channel that delivers customer messages; only its SHA-256 is stored. */
@Entity
@Table(name = "channel_token")
public class ChannelToken extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    public String name;
    @Column(name = "token_hash")
    public String tokenHash;
    @Column(name = "created_by")
    public UUID createdBy;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
