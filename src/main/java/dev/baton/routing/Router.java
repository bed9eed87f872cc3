package dev.baton.routing;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.baton.agent.Actors;
import dev.baton.agent.Availability;
import dev.baton.chat.Chat;
import dev.baton.chat.ChatService;
import dev.baton.chat.Custody;
import dev.baton.common.Background;
import dev.baton.common.NativeSelects;
import dev.baton.realtime.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Automatic assignment: gives waiting chats, oldest first, to eligible agents (active, ONLINE, in
 * the chat's team when it has one, below their limit), chosen by the workspace's mode.
 *
 * <p><b>Why no agent goes over its limit and no chat is assigned twice, on any number of
 * replicas.</b> A pass first reads, without locks, the oldest waiting chat that has an eligible
 * agent and the agent the mode picks. It then assigns it in one transaction that re-checks
 * everything under locks, in the one order every custody change uses: the agent FOR SHARE (so it
 * cannot be deactivated meanwhile; active and ONLINE re-read), its load row FOR UPDATE and a fresh
 * count of its chats ({@link Capacity}), then the chat with {@code FOR UPDATE SKIP LOCKED} and the
 * condition "still REQUESTING, unheld, agent in its team". Two passes on two replicas that picked
 * the same agent queue on its load row, and the second counts the first one's chat; two that
 * picked the same chat cannot both lock it, and the second finds it no longer waiting. The read is
 * only a guess: a guess made stale by a concurrent change is dropped and the next guess is read.
 *
 * <p><b>Triggers.</b> Every committed custody change wakes a pass for its workspace on the replica
 * that committed it ({@link Outbox#afterCommit}); so do an agent going ONLINE, a raised limit,
 * new team members and new routing settings. Passes of one workspace on one replica coalesce. A
 * periodic sweep on every replica wakes the workspaces that still have waiting chats, so a crash
 * between a commit and its pass delays an assignment by at most one interval, and loses nothing.
 */
@ApplicationScoped
public class Router {

    private static final Logger LOG = Logger.getLogger(Router.class);
    /** Guesses per pass before it yields (and wakes itself again). */
    private static final int BUDGET = 500;
    private static final Duration RETRY_SKIPPED = Duration.ofMillis(250);

    /**
     * The oldest waiting chat with an eligible agent, and that agent: ?1 workspace, ?2 chats to pass
     * over, ORDER the mode's preference among the free agents.
     */
    private static final String GUESS = "with free as materialized (select a.id, l.last_assigned_at, "
            + "(select count(*) from chat h where h.holder_id = a.id) as held, coalesce(a.max_chats, s.default_max_chats) as cap "
            + "from agent a left join agent_load l on l.agent_id = a.id left join routing_settings s on s.workspace_id = a.workspace_id "
            + "where a.workspace_id = ?1 and a.active and a.availability = 'ONLINE') "
            + "select c.id, f.id from chat c cross join lateral (select f.id from free f where (f.cap is null or f.held < f.cap) "
            + "and (c.team_id is null or exists (select 1 from team_member m where m.team_id = c.team_id and m.agent_id = f.id)) "
            + "order by ORDER limit 1) f "
            + "where c.workspace_id = ?1 and c.status = 'REQUESTING' and c.id <> all(cast(?2 as uuid[])) order by c.queued_at, c.id limit 1";
    private static final String CLAIM = "select " + Chat.columns("c") + " from chat c where c.id = ?1 and c.workspace_id = ?2 and c.status = 'REQUESTING' "
            + "and c.holder_id is null and (c.team_id is null or exists "
            + "(select 1 from team_member m where m.team_id = c.team_id and m.agent_id = ?3)) for update skip locked";
    private static final String TOUCH = "update agent_load set last_assigned_at = clock_timestamp() where agent_id = ?1";
    private static final String WAITING = "select distinct c.workspace_id from chat c join routing_settings s on s.workspace_id = c.workspace_id "
            + "where c.status = 'REQUESTING' and s.mode <> ?1";

    private enum Outcome {
        /** Assigned: look for the next. */
        ASSIGNED,
        /** The guess was stale (agent changed, full, or gone): guess again. */
        STALE,
        /** The chat is locked by another transaction or no longer waiting: pass over it this time. */
        SKIPPED
    }

    private record Guess(UUID chatId, UUID agentId) {
    }

    private final Vertx vertx;
    private final Outbox outbox;
    private final Actors actors;
    private final Capacity capacity;
    private final ChatService chats;
    private final SettingsCache settings;
    private final Duration sweepInterval;

    private Context context;
    private volatile boolean stopped;
    /** Workspaces with a pass running here: true when another pass was asked for meanwhile. Touched only on {@link #context}. */
    private final Map<UUID, Boolean> running = new HashMap<>();

    public Router(Vertx vertx, Outbox outbox, Actors actors, Capacity capacity, ChatService chats, SettingsCache settings,
            @ConfigProperty(name = "baton.routing.sweep-interval") Duration sweepInterval) {
        this.settings = settings;
        this.vertx = vertx;
        this.outbox = outbox;
        this.actors = actors;
        this.capacity = capacity;
        this.chats = chats;
        this.sweepInterval = sweepInterval;
    }

    void start(@Observes StartupEvent event) {
        context = vertx.getOrCreateContext();
        outbox.afterCommit(this::wake);
        vertx.setPeriodic(sweepInterval.toMillis(), id -> sweep());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /** Runs an assignment pass for the workspace soon; a call while one runs here coalesces into one more pass. */
    public void wake(UUID workspaceId) {
        // A workspace known to route manually (the default) costs its custody changes nothing here.
        if (context == null || stopped || workspaceId == null || settings.knownManual(workspaceId)) {
            return;
        }
        context.runOnContext(v -> {
            if (running.containsKey(workspaceId)) {
                running.put(workspaceId, true);
                return;
            }
            running.put(workspaceId, false);
            pass(workspaceId).subscribe().with(skipped -> finished(workspaceId, skipped), failure -> {
                LOG.warnf(failure, "routing pass for workspace %s failed; the sweep retries it", workspaceId);
                finished(workspaceId, false);
            });
        });
    }

    private void finished(UUID workspaceId, boolean skipped) {
        context.runOnContext(v -> {
            boolean again = Boolean.TRUE.equals(running.remove(workspaceId));
            if (again) {
                wake(workspaceId);
            } else if (skipped && !stopped) {
                // A waiting chat was locked by someone else's transaction, which may not wake routing when it ends.
                vertx.setTimer(RETRY_SKIPPED.toMillis(), id -> wake(workspaceId));
            }
        });
    }

    private void sweep() {
        if (stopped) {
            return;
        }
        Background.run(vertx, () -> Panache.withSession(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(WAITING, UUID.class).setParameter(1, NativeSelects.once(RoutingMode.MANUAL.name())).getResultList())))
                .subscribe().with(workspaces -> workspaces.forEach(workspaceId -> {
                    // The sweep read the mode from the database: no stale copy may stop its pass.
                    settings.forget(workspaceId);
                    wake(workspaceId);
                }),
                        failure -> LOG.warnf("routing sweep failed: %s", failure.getMessage()));
    }

    /** One pass: assigns until no waiting chat has an eligible agent; emits whether a chat was passed over. */
    private Uni<Boolean> pass(UUID workspaceId) {
        return Background.run(vertx, () -> Panache.withSession(() -> settings.get(workspaceId)))
                .chain(current -> current.mode() == RoutingMode.MANUAL ? Uni.createFrom().item(false)
                        : step(workspaceId, current.mode(), new HashSet<>(), BUDGET));
    }

    private Uni<Boolean> step(UUID workspaceId, RoutingMode mode, Set<UUID> skipped, int budget) {
        if (budget == 0 || stopped) {
            wake(workspaceId);
            return Uni.createFrom().item(!skipped.isEmpty());
        }
        return Background.run(vertx, () -> Panache.withSession(() -> guess(workspaceId, mode, skipped))).chain(guess -> {
            if (guess == null) {
                return Uni.createFrom().item(!skipped.isEmpty());
            }
            return Background.run(vertx, () -> outbox.transaction(() -> assign(workspaceId, mode, guess))).chain(outcome -> {
                if (outcome == Outcome.SKIPPED) {
                    skipped.add(guess.chatId());
                }
                return step(workspaceId, mode, skipped, budget - 1);
            });
        });
    }

    private static Uni<Guess> guess(UUID workspaceId, RoutingMode mode, Set<UUID> skipped) {
        String order = mode == RoutingMode.LEAST_LOADED ? "f.held, f.last_assigned_at nulls first, f.id"
                : "f.last_assigned_at nulls first, f.id";
        return Panache.getSession().chain(session -> session.createNativeQuery(GUESS.replace("ORDER", order), Object[].class)
                .setParameter(1, NativeSelects.once(workspaceId)).setParameter(2, skipped.toArray(new UUID[0])).getResultList())
                .map(rows -> rows.isEmpty() ? null : new Guess((UUID) rows.get(0)[0], (UUID) rows.get(0)[1]));
    }

    /** The guess, re-checked under locks (see the class comment); ASSIGN with the mode as its reason. */
    private Uni<Outcome> assign(UUID workspaceId, RoutingMode mode, Guess guess) {
        return actors.lockForCustody(workspaceId, guess.agentId()).chain(agent -> {
            if (agent == null || !agent.active || agent.availability != Availability.ONLINE) {
                return Uni.createFrom().item(Outcome.STALE);
            }
            return capacity.lock(agent).chain(load -> {
                if (load.full()) {
                    return Uni.createFrom().item(Outcome.STALE);
                }
                return Panache.getSession().chain(session -> session.createNativeQuery(CLAIM, Chat.class)
                        .setParameter(1, NativeSelects.once(guess.chatId())).setParameter(2, workspaceId).setParameter(3, agent.id).getResultList()
                        .chain(claimed -> {
                            if (claimed.isEmpty()) {
                                return Uni.createFrom().item(Outcome.SKIPPED);
                            }
                            Chat chat = claimed.get(0);
                            return chats.applySystem(chat, Custody.assign(chat.status, chat.holderId, agent.id), agent, mode.name())
                                    .chain(() -> session.createNativeQuery(TOUCH).setParameter(1, agent.id).executeUpdate())
                                    .replaceWith(Outcome.ASSIGNED);
                        }));
            });
        });
    }
}
