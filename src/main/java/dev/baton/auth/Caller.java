package dev.baton.auth;

import java.util.UUID;

/** Who a verified token speaks for. Role and active state are always re-read from the database. */
public record Caller(UUID agentId, UUID workspaceId) {
}
