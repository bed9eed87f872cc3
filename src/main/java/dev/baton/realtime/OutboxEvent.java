package dev.baton.realtime;

import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A real-time event, written in the transaction that caused it (so it exists iff that committed)
 * and fanned out after commit by every instance's {@link EventDispatcher}. The id is assigned by
 * the database at insert, after the chat's row lock, so one chat's events are ordered by id.
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
    @Enumerated(EnumType.STRING)
    public Audience audience;
    @Column(name = "agent_id")
    public UUID agentId;
    public String payload;
}
