package dev.baton.agent;

import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.List;

import dev.baton.common.NativeSelects;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

/** A staff member of one workspace. */
@Entity
public class Agent extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    public String username;
    @Column(name = "display_name")
    public String displayName;
    @Enumerated(EnumType.STRING)
    public Role role;
    @Enumerated(EnumType.STRING)
    public Availability availability;
    public boolean active;
    @Column(name = "password_hash")
    public String passwordHash;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    /** Incremented by a deactivation or role change: tokens issued before stop working (see Caller#speaksFor). */
    @Column(name = "token_epoch")
    public int tokenEpoch;
    /** The agent's own limit of held chats; null = the workspace's default applies (see routing.Capacity). */
    @Column(name = "max_chats")
    public Integer maxChats;

    private static final List<String> COLUMNS = List.of("id", "workspace_id", "username", "display_name", "role", "availability", "active",
            "password_hash", "created_at", "token_epoch", "max_chats");

    /** The mapped columns, qualified by {@code alias}, for native selects of whole agents (see common.NativeSelects#columns). */
    public static String columns(String alias) {
        return NativeSelects.columns(alias, COLUMNS);
    }
}
