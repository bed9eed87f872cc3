package dev.baton.routing;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.baton.chat.Chat;
import dev.baton.chat.ChatService;
import dev.baton.chat.ChatStatus;
import dev.baton.chat.Custody;
import dev.baton.common.Background;
import dev.baton.common.NativeSelects;
import dev.baton.realtime.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;

/**
 * The no-reply timeout (PRODUCT.md "No-reply timeout") as a row in {@code chat_timer}: a held chat
 * whose holder has not replied by {@code due_at} goes back to the queue (REQUEUE, reason NO_REPLY).
 *
 * <p>Armed, in the same transaction, when someone becomes the holder and at each customer message
 * while the chat is held; cancelled by the holder's reply and by every custody change. The row is
 * the timer, so it survives restarts, and every replica polls for due rows.
 *
 * <p><b>Why it fires exactly once.</b> A firing transaction locks the chat first (the order every
 * custody change uses, so no deadlock with them), then deletes the timer row if it is due, and
 * requeues only if that delete took a row armed for the chat's current version. A second replica
 * firing the same timer waits for the chat's lock and then finds no row; a reply or custody change
 * that committed first has deleted or outdated it (an outdated row is dropped when due).
 *
 * <p>Arming and cancelling ask {@link SettingsCache} whether the workspace has a timeout at all, so
 * a workspace without one pays no statement per change or message.
 */
@ApplicationScoped
public class NoReplyTimer {

    private static final Logger LOG = Logger.getLogger(NoReplyTimer.class);
    public static final String REASON = "NO_REPLY";
    private static final int BATCH = 100;
    private static final String ARM = "insert into chat_timer (chat_id, workspace_id, version, due_at) "
            + "values (?1, ?2, ?3, clock_timestamp() + make_interval(secs => ?4)) "
            + "on conflict (chat_id) do update set version = excluded.version, due_at = excluded.due_at";
    private static final String CANCEL = "delete from chat_timer where chat_id = ?1";
    private static final String DUE = "select chat_id from chat_timer where due_at <= clock_timestamp() order by due_at limit ?1";
    /** Takes a due timer whatever version it was armed for: one outdated by a change made on stale settings is dropped. */
    private static final String TAKE = "delete from chat_timer where chat_id = ?1 and due_at <= clock_timestamp() returning version";

    private final Vertx vertx;
    private final Outbox outbox;
    private final ChatService chats;
    private final SettingsCache settings;
    private final Duration poll;
    private volatile boolean stopped;
    private boolean polling;

    public NoReplyTimer(Vertx vertx, Outbox outbox, ChatService chats, SettingsCache settings,
            @ConfigProperty(name = "baton.routing.timer-poll") Duration poll) {
        this.vertx = vertx;
        this.settings = settings;
        this.outbox = outbox;
        this.chats = chats;
        this.poll = poll;
    }

    void start(@Observes StartupEvent event) {
        vertx.setPeriodic(poll.toMillis(), id -> fireDue());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /**
     * In a custody change's transaction, with the chat's new state set: arm for a new holder, else
     * cancel. Without a timeout in the settings there is nothing to do: turning the timeout off
     * deletes the workspace's timers ({@link RoutingService#update}).
     */
    public Uni<Void> custodyChanged(Chat chat) {
        return settings.get(chat.workspaceId).chain(s -> !s.timed() ? Uni.createFrom().voidItem()
                : chat.status == ChatStatus.INTERVENED ? arm(chat, s.noReplyTimeoutSeconds()) : cancel(chat));
    }

    /** In an inbound message's transaction: a held chat's holder owes the customer an answer again. */
    public Uni<Void> customerWrote(Chat chat) {
        return chat.status != ChatStatus.INTERVENED ? Uni.createFrom().voidItem()
                : settings.get(chat.workspaceId).chain(s -> s.timed() ? arm(chat, s.noReplyTimeoutSeconds()) : Uni.createFrom().voidItem());
    }

    /** In a reply's transaction: the holder answered. */
    public Uni<Void> replied(Chat chat) {
        return settings.get(chat.workspaceId).chain(s -> s.timed() ? cancel(chat) : Uni.createFrom().voidItem());
    }

    private static Uni<Void> arm(Chat chat, long timeoutSeconds) {
        return Panache.getSession().chain(session -> session.createNativeQuery(ARM).setParameter(1, chat.id)
                .setParameter(2, chat.workspaceId).setParameter(3, chat.version).setParameter(4, (double) timeoutSeconds)
                .executeUpdate()).replaceWithVoid();
    }

    private static Uni<Void> cancel(Chat chat) {
        return Panache.getSession().chain(session -> session.createNativeQuery(CANCEL).setParameter(1, chat.id).executeUpdate())
                .replaceWithVoid();
    }

    private void fireDue() {
        if (stopped || polling) {
            return;
        }
        polling = true;
        Background.run(vertx, () -> Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(DUE, UUID.class).setParameter(1, NativeSelects.once(BATCH)).getResultList())))
                .chain(this::fireAll)
                .subscribe().with(ignored -> polling = false, failure -> {
                    polling = false;
                    LOG.warnf("no-reply timers: %s; retried at the next poll", failure.getMessage());
                });
    }

    private Uni<Void> fireAll(List<UUID> due) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (UUID chatId : due) {
            all = all.chain(() -> Background.run(vertx, () -> outbox.transaction(() -> fire(chatId))));
        }
        return all;
    }

    /**
     * The chat locked first, then the timer taken if due; the chat is requeued only if the timer was
     * armed for its current version and the workspace (read now, not from a cache) still has a timeout.
     */
    private Uni<Void> fire(UUID chatId) {
        return Chat.<Chat>findById(chatId, LockModeType.PESSIMISTIC_WRITE).chain(chat -> Panache.getSession()
                .chain(session -> session.createNativeQuery(TAKE, Long.class).setParameter(1, NativeSelects.once(chatId)).getResultList())
                .chain(taken -> taken.size() == 1 && chat != null && taken.get(0) == chat.version && chat.status == ChatStatus.INTERVENED
                        ? RoutingService.current(chat.workspaceId).chain(current -> current.noReplyTimeoutSeconds == null
                                ? Uni.createFrom().voidItem()
                                : chats.applySystem(chat, Custody.requeue(chat.status, chat.holderId), null, REASON).replaceWithVoid())
                        : Uni.createFrom().voidItem()));
    }
}
