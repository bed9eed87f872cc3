package dev.baton.realtime;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The monitoring audit: who watched which chat incognito, from when to when. Only owners read it. */
@Entity
@Table(name = "monitor_session")
public class MonitorSession extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    @Column(name = "chat_id")
    public UUID chatId;
    @Column(name = "agent_id")
    public UUID agentId;
    @Column(name = "started_at")
    public OffsetDateTime startedAt;
    @Column(name = "ended_at")
    public OffsetDateTime endedAt;
}
