package dev.baton.routing;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A group of agents with its own queue: a chat of the team is assigned only to its members. */
@Entity
public class Team extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    public String name;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
