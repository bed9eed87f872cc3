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
 * Real-time events of one write, in its transaction (so they exist iff it committed): a row of the
 * event log, read after commit by every instance's {@link EventDispatcher} and by the durable
 * {@link EventConsumers}. The id is assigned at insert, after the chat's row lock, so one chat's
 * rows are ordered by id; {@code txid} (the inserting transaction, filled in by the database) is
 * what readers use to know which rows they have not seen.
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
    /** JSON array of {@link StoredDelivery}: who gets which frame. */
    @Column(columnDefinition = "text")
    public String deliveries;
}
