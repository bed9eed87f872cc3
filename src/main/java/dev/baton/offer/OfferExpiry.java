package dev.baton.offer;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.baton.chat.Chat;
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
 * Expires offers: the timer is the offer row's {@code expires_at}, so it survives restarts and
 * needs no instance to remember it. Every instance sweeps every {@code sweep-interval}; one sweep is
 * one transaction that claims due offers by locking their chats with {@code SKIP LOCKED} (a chat
 * another sweeper or a request holds is left for the next sweep, never waited for, so sweepers
 * neither block nor deadlock anyone), then re-reads each offer under that lock and expires it only
 * if it is still PENDING. Every other change of an offer holds the same chat lock, so across any
 * number of replicas and restarts each offer gets exactly one outcome, and an expiry exactly once.
 */
@ApplicationScoped
public class OfferExpiry {

    private static final Logger LOG = Logger.getLogger(OfferExpiry.class);
    static final int BATCH = 100;
    /** The chats, not the offers, are locked here: chat before offer is the order of every offer change. */
    private static final String CLAIM = "select o.id from chat_offer o join chat c on c.id = o.chat_id "
            + "where o.status = 'PENDING' and o.expires_at <= now() order by o.expires_at limit ?1"
            + " for no key update of c skip locked";

    private final Vertx vertx;
    private final Outbox outbox;
    private final OfferNotices notices;
    private final Duration interval;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile boolean stopped;

    public OfferExpiry(Vertx vertx, Outbox outbox, OfferNotices notices,
            @ConfigProperty(name = "baton.offers.sweep-interval") Duration interval) {
        this.vertx = vertx;
        this.outbox = outbox;
        this.notices = notices;
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        vertx.setPeriodic(interval.toMillis(), id -> tick());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    private void tick() {
        if (stopped || !sweeping.compareAndSet(false, true)) {
            return;
        }
        Background.run(vertx, this::sweep).subscribe().with(expired -> {
            sweeping.set(false);
            if (expired == BATCH) {
                tick();
            }
        }, failure -> {
            sweeping.set(false);
            LOG.debugf("expiring offers failed (retrying on the next sweep): %s", failure.getMessage());
        });
    }

    /** One sweep; safe on any number of instances at once. Returns how many offers it expired. */
    public Uni<Integer> sweep() {
        return outbox.transaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(CLAIM, UUID.class).setParameter(1, NativeSelects.once(BATCH)).getResultList())
                .chain(this::expireAll));
    }

    private Uni<Integer> expireAll(List<UUID> due) {
        Uni<Integer> expired = Uni.createFrom().item(0);
        for (UUID id : due) {
            expired = expired.chain(n -> expire(id).map(done -> done ? n + 1 : n));
        }
        return expired;
    }

    private Uni<Boolean> expire(UUID offerId) {
        return Offer.<Offer>findById(offerId, LockModeType.PESSIMISTIC_WRITE).chain(offer -> {
            if (offer.status != OfferStatus.PENDING) {
                return Uni.createFrom().item(false);
            }
            // The chat is locked already (the claim), so this read does not wait.
            return Chat.<Chat>findById(offer.chatId, LockModeType.PESSIMISTIC_WRITE)
                    .chain(chat -> expire(chat, offer, OfferService.now(), true))
                    .replaceWith(true);
        });
    }

    /**
     * Records the expiry of a standing offer past its deadline, under its chat's lock. The sweeper
     * does it when nothing else touches the chat; a new offer or a custody change that finds the
     * offer past its deadline does it first, so an offer's outcome follows its deadline, not the
     * sweeper's timing.
     */
    Uni<Void> expire(Chat chat, Offer offer, OffsetDateTime now, boolean supervisors) {
        offer.end(chat, OfferStatus.EXPIRED, null, null, now);
        return notices.publish(chat, offer, null, now, supervisors);
    }
}
