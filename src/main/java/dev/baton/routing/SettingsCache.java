package dev.baton.routing;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Each workspace's routing settings as this replica read them at most {@link #TTL} ago. Every custody
 * change and every customer message asks whether routing or the no-reply timer concern it; in the
 * usual case (MANUAL, no timeout) the answer now costs no statement.
 *
 * <p><b>Staleness.</b> A change of the settings is seen at once on the replica that made it
 * ({@link #put} after its commit) and within {@link #TTL} on the others. What a stale copy can do
 * is bounded: routing's sweep reads the database, not this cache, so a workspace that became
 * automatic is served by the next sweep at the latest; a timer armed or left standing on stale
 * settings is re-checked against the database when it fires ({@link NoReplyTimer}).
 */
@ApplicationScoped
public class SettingsCache {

    static final Duration TTL = Duration.ofSeconds(1);
    /** Entries are tiny; past this many workspaces the map is simply started afresh. */
    private static final int MAX_ENTRIES = 50_000;

    /** What the hot paths need of the settings. */
    public record Snapshot(RoutingMode mode, Integer defaultMaxChats, Long noReplyTimeoutSeconds) {

        static Snapshot of(RoutingSettings settings) {
            return new Snapshot(settings.mode, settings.defaultMaxChats, settings.noReplyTimeoutSeconds);
        }

        public boolean timed() {
            return noReplyTimeoutSeconds != null;
        }
    }

    private record Entry(Snapshot snapshot, long readAt) {
    }

    private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();

    /** The workspace's settings, read in the caller's session when this replica's copy is missing or old. */
    public Uni<Snapshot> get(UUID workspaceId) {
        Snapshot fresh = fresh(workspaceId);
        if (fresh != null) {
            return Uni.createFrom().item(fresh);
        }
        long readAt = System.nanoTime();
        return RoutingService.current(workspaceId).map(settings -> {
            Snapshot snapshot = Snapshot.of(settings);
            remember(workspaceId, new Entry(snapshot, readAt));
            return snapshot;
        });
    }

    /** True only when a fresh copy says the workspace routes manually: nothing for routing to do. */
    boolean knownManual(UUID workspaceId) {
        Snapshot fresh = fresh(workspaceId);
        return fresh != null && fresh.mode() == RoutingMode.MANUAL;
    }

    /** The settings this replica has just committed. */
    void put(RoutingSettings settings) {
        remember(settings.workspaceId, new Entry(Snapshot.of(settings), System.nanoTime()));
    }

    /** Drops this replica's copy: the next {@link #get} reads the database. */
    void forget(UUID workspaceId) {
        entries.remove(workspaceId);
    }

    private Snapshot fresh(UUID workspaceId) {
        Entry entry = entries.get(workspaceId);
        return entry != null && System.nanoTime() - entry.readAt() < TTL.toNanos() ? entry.snapshot() : null;
    }

    private void remember(UUID workspaceId, Entry entry) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        // A read that started before a newer copy was stored must not replace it.
        entries.merge(workspaceId, entry, (old, now) -> now.readAt() >= old.readAt() ? now : old);
    }
}
