package dev.baton.realtime;

import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The real-time events of one transaction, written in it (so they exist iff it committed) and
 * fanned out after commit by every instance's {@link EventDispatcher}. One row per transaction
 * keeps the outbox to a single insert; the id is assigned by the database at insert, after the
 * chat's row lock, so one chat's rows are ordered by id.
 */
@Entity
@Table(name = "event")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    @Column(name = "chat_id")
    public UUID chatId;
    /** JSON array of {@link Outbox.Stored}: who gets which frame. */
    @Column(columnDefinition = "text")
    public String deliveries;
}
