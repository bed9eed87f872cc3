package dev.baton.routing;

import java.util.UUID;

import dev.baton.agent.Agent;
import dev.baton.agent.Role;
import dev.baton.common.NativeSelects;
import dev.baton.common.Refusal;
import dev.baton.common.Refusal.Code;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How many chats an agent may hold (PRODUCT.md "Capacity"): its own {@code maxChats}, else the
 * workspace's {@code defaultMaxChats}, else no limit.
 *
 * <p><b>Why a limit holds under concurrency.</b> Every transaction that makes an agent a holder —
 * intervene, takeover, transfer, offer accept, automatic assignment — first calls {@link #lock} for
 * that agent, which write-locks the agent's {@code agent_load} row and only then counts the chats the
 * agent holds. Those transactions therefore queue up per agent, and each one's count (a statement
 * run after the lock was granted, in READ COMMITTED) includes every chat the previous one gave the
 * agent. Releases need no lock: they only lower the load. Exempt changes (a supervisor acting for
 * itself, a forced transfer) lock too, so an automatic assignment never counts without them.
 *
 * <p><b>How to call it</b>, inside the custody transaction ({@code Outbox.transaction}), in the one
 * lock order used everywhere — agents, then the load row, then the chat:
 * <pre>{@code
 * actors.lockForCustody(workspaceId, agentId)            // the agent FOR SHARE (against deactivation)
 *     .chain(agent -> capacity.lock(agent))              // its load row FOR UPDATE, then the count
 *     .chain(load -> chats.lockInWorkspace(workspaceId, chatId).map(chat -> {
 *         // ... decide the change first, so its own refusals take precedence ...
 *         if (Capacity.limits(actor.role, actor.id.equals(agentId), force)) {
 *             load.requireRoom();                        // 409 agent-at-capacity
 *         }
 *         ...
 *     }));
 * }</pre>
 * {@link #claim} is lock-and-require in one call, for paths where nothing else can refuse first
 * (e.g. an offer's accept). Lock at most one agent's load row per transaction (or several in id
 * order), never after locking a chat: that order is what rules out deadlocks with transfers.
 */
@ApplicationScoped
public class Capacity {

    /** Rows exist for every agent (a trigger, V11); the join finds none only for an unknown agent. */
    private static final String LOCK_WITH_AGENT = "select " + Agent.columns("a") + " from agent a join agent_load l on l.agent_id = a.id where a.id = ?1 "
            + "for share of a for update of l";
    /** Locks the row without writing it (no new row version, no WAL per custody change). */
    private static final String LOCK = "select agent_id from agent_load where agent_id = ?1 for update";
    /** The first lock of an agent without a row yet: creates it, or locks the one a concurrent first lock created. */
    private static final String CREATE = "insert into agent_load (agent_id, workspace_id) values (?1, ?2) "
            + "on conflict (agent_id) do update set workspace_id = excluded.workspace_id";
    private static final String COUNT = "select (select count(*) from chat c where c.holder_id = a.id), "
            + "coalesce(a.max_chats, s.default_max_chats) from agent a "
            + "left join routing_settings s on s.workspace_id = a.workspace_id where a.id = ?1";

    /** The agent's load at the moment its row was locked: chats held and the limit (null = none, and held not counted). */
    public record Load(UUID agentId, long held, Integer maxChats) {

        public boolean full() {
            return maxChats != null && held >= maxChats;
        }

        /** Refuses with 409 {@code agent-at-capacity} when one more chat would exceed the limit. */
        public void requireRoom() {
            if (full()) {
                throw new Refusal(Code.AGENT_AT_CAPACITY,
                        "The agent already holds " + held + " chat(s), its limit is " + maxChats + ".");
            }
        }
    }

    /**
     * Whether the limit applies to a change made by an actor of {@code role}: OWNER/MANAGER taking a
     * chat for themselves, or passing {@code force} on a transfer, are never limited; everyone else is.
     */
    public static boolean limits(Role actorRole, boolean forSelf, boolean force) {
        return !(actorRole.supervises() && (forSelf || force));
    }

    /** An agent share-locked with its load row; the agent is null when it is not one of the workspace's. */
    public record Locked(Agent agent, Load load) {
    }

    private final SettingsCache settings;

    public Capacity(SettingsCache settings) {
        this.settings = settings;
    }

    /**
     * For a manual custody change: the agent FOR SHARE (against deactivation, see agent.Actors) and its
     * load row FOR UPDATE in one statement, then — only if a limit applies to it — the count. The agent's
     * own {@code maxChats} is read under the lock; the workspace default comes from {@link SettingsCache}
     * (a change of it reaches the other replicas within its TTL). Automatic assignment uses {@link #lock},
     * which reads both limits under the lock.
     */
    public Uni<Locked> lockAgent(UUID workspaceId, UUID agentId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(LOCK_WITH_AGENT, Agent.class)
                .setParameter(1, NativeSelects.once(agentId)).getResultList())
                .chain(found -> {
                    Agent agent = found.isEmpty() ? null : found.get(0);
                    if (agent == null || !agent.workspaceId.equals(workspaceId)) {
                        return Uni.createFrom().item(new Locked(null, null));
                    }
                    Uni<Integer> limit = agent.maxChats != null ? Uni.createFrom().item(agent.maxChats)
                            : settings.get(workspaceId).map(SettingsCache.Snapshot::defaultMaxChats);
                    return limit.chain(max -> max == null ? Uni.createFrom().item(new Locked(agent, new Load(agent.id, 0, null)))
                            : count(agent).map(load -> new Locked(agent, load)));
                });
    }

    /** Locks the agent's load row (creating it if missing) and counts what it holds now. */
    public Uni<Load> lock(Agent agent) {
        return Panache.getSession().chain(session -> session.createNativeQuery(LOCK, UUID.class).setParameter(1, NativeSelects.once(agent.id)).getResultList()
                .chain(locked -> locked.isEmpty()
                        ? session.createNativeQuery(CREATE).setParameter(1, agent.id).setParameter(2, agent.workspaceId).executeUpdate()
                        : Uni.createFrom().item(1))
                .chain(() -> count(agent)));
    }

    private static Uni<Load> count(Agent agent) {
        return Panache.getSession().chain(session -> session.createNativeQuery(COUNT, Object[].class).setParameter(1, NativeSelects.once(agent.id)).getSingleResult())
                .map(row -> new Load(agent.id, ((Number) row[0]).longValue(), row[1] == null ? null : ((Number) row[1]).intValue()));
    }

    /** {@link #lock}, then {@link Load#requireRoom}. */
    public Uni<Load> claim(Agent agent) {
        return lock(agent).invoke(Load::requireRoom);
    }
}
