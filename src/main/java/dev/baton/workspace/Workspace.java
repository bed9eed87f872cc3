package dev.baton.workspace;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A tenant: one business. Everything else belongs to exactly one workspace. */
@Entity
public class Workspace extends PanacheEntityBase {

    @Id
    public UUID id;
    public String slug;
    public String name;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
