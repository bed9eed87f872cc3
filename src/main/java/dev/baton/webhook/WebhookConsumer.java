package dev.baton.webhook;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.common.Background;
import dev.baton.realtime.EventConsumers;
import dev.baton.realtime.EventConsumers.LogEvent;
import dev.baton.realtime.EventDispatcher;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The "webhooks" consumer of the event log: each committed event becomes one PENDING delivery per
 * active endpoint of its workspace subscribed to its type, written in the transaction that moves
 * the consumer's position past it ({@link EventConsumers}) — so an event becomes its deliveries
 * exactly once, whichever replica holds the claim, and a crash in between loses nothing. Sending is
 * {@link WebhookSender}'s, off this transaction: a slow receiver never holds the log back.
 */
@ApplicationScoped
public class WebhookConsumer {

    static final String NAME = "webhooks";
    private static final Logger LOG = Logger.getLogger(WebhookConsumer.class);
    /** How long a wake-up waits for more commits to join its batch. */
    static final long LINGER_MILLIS = 50;
    /** Rows per insert statement (7 parameters each). */
    private static final int INSERT_CHUNK = 200;

    private final EventConsumers consumers;
    private final EventDispatcher dispatcher;
    private final WebhookSender sender;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean due = new AtomicBoolean();
    private volatile boolean registered;
    private volatile boolean again;
    private volatile boolean stopped;

    public WebhookConsumer(EventConsumers consumers, EventDispatcher dispatcher, WebhookSender sender, ObjectMapper json, Vertx vertx) {
        this.consumers = consumers;
        this.dispatcher = dispatcher;
        this.sender = sender;
        this.json = json;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        dispatcher.alsoWake(this::wake);
        wake();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /**
     * Processes the next batch {@link #LINGER_MILLIS} from now; calls meanwhile, or while a batch runs,
     * coalesce into it (or one more). Lingering turns one claim transaction per commit into at most
     * one per linger: under load the log is read in batches, at the price of that much latency.
     */
    public void wake() {
        if (stopped || !due.compareAndSet(false, true)) {
            return;
        }
        vertx.setTimer(LINGER_MILLIS, id -> {
            due.set(false);
            run();
        });
    }

    private void run() {
        if (!running.compareAndSet(false, true)) {
            again = true;
            return;
        }
        again = false;
        Background.run(vertx, this::batch).subscribe().with(created -> {
            running.set(false);
            if (created > 0) {
                sender.wake();
            }
            if (again) {
                wake();
            }
        }, failure -> {
            running.set(false);
            LOG.debugf("webhook consumer batch failed (retried on the next wake-up): %s", failure.getMessage());
        });
    }

    /** One batch; returns how many deliveries it created (0 when another replica holds the claim). */
    private Uni<Integer> batch() {
        Uni<Void> registration = registered ? Uni.createFrom().voidItem()
                : consumers.register(NAME).invoke(() -> registered = true);
        List<Integer> created = new ArrayList<>(1);
        return registration.chain(() -> consumers.process(NAME, events -> deliveries(events).invoke(created::add).replaceWithVoid()))
                .map(ignored -> created.isEmpty() ? 0 : created.get(0));
    }

    /**
     * The endpoints of the batch's workspaces are read first, so the events of a workspace without
     * any (the usual case) cost neither parsing nor a row.
     */
    private Uni<Integer> deliveries(List<LogEvent> events) {
        Set<UUID> workspaces = new LinkedHashSet<>();
        for (LogEvent event : events) {
            if (event.workspaceId() != null && event.chatId() != null) {
                workspaces.add(event.workspaceId());
            }
        }
        if (workspaces.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return WebhookEndpoint.<WebhookEndpoint>list("active = true and workspaceId in ?1", workspaces).chain(endpoints -> {
            Set<UUID> served = new HashSet<>();
            endpoints.forEach(endpoint -> served.add(endpoint.workspaceId));
            List<Pending> messages = new ArrayList<>();
            for (LogEvent event : events) {
                if (event.chatId() != null && served.contains(event.workspaceId())) {
                    for (WebhookEvents.Message message : WebhookEvents.of(json, event.id(), event.deliveries())) {
                        messages.add(new Pending(event.workspaceId(), message));
                    }
                }
            }
            List<Object[]> rows = new ArrayList<>();
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            for (Pending p : messages) {
                for (WebhookEndpoint endpoint : endpoints) {
                    if (endpoint.workspaceId.equals(p.workspaceId()) && endpoint.eventList().contains(p.message().type())) {
                        rows.add(new Object[] { UUID.randomUUID(), endpoint.id, p.workspaceId(), p.message().id(), p.message().type(),
                                p.message().body(), now });
                    }
                }
            }
            return insert(rows, 0).replaceWith(rows.size());
        });
    }

    private static Uni<Void> insert(List<Object[]> rows, int from) {
        if (from >= rows.size()) {
            return Uni.createFrom().voidItem();
        }
        int to = Math.min(rows.size(), from + INSERT_CHUNK);
        StringBuilder sql = new StringBuilder("insert into webhook_delivery "
                + "(id, endpoint_id, workspace_id, message_id, event_type, body, created_at, status, attempts, due_at) values ");
        for (int i = from; i < to; i++) {
            int p = (i - from) * 7;
            sql.append(i == from ? "" : ", ").append("(?").append(p + 1).append(", ?").append(p + 2).append(", ?").append(p + 3)
                    .append(", ?").append(p + 4).append(", ?").append(p + 5).append(", ?").append(p + 6).append(", ?").append(p + 7)
                    .append(", 'PENDING', 0, ?").append(p + 7).append(")");
        }
        sql.append(" on conflict (endpoint_id, message_id) do nothing");
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString());
            for (int i = from; i < to; i++) {
                Object[] row = rows.get(i);
                for (int c = 0; c < 7; c++) {
                    query.setParameter((i - from) * 7 + c + 1, row[c]);
                }
            }
            return query.executeUpdate();
        }).chain(() -> insert(rows, to));
    }

    private record Pending(UUID workspaceId, WebhookEvents.Message message) {
    }
}
