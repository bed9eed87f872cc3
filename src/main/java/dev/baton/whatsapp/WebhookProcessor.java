package dev.baton.whatsapp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.common.Background;
import dev.baton.inbound.InboundService;
import dev.baton.inbound.InboundService.Arrival;
import dev.baton.inbound.InboundService.Customer;
import dev.baton.timeline.EntryKind;
import dev.baton.timeline.TimelineEntry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Processes stored webhook bodies: every {@code entry[].changes[].value.messages[]} and
 * {@code .statuses[]}, never just the first. Receipts are claimed under a lease with
 * {@code SKIP LOCKED} (any replica; one left by a dead instance is taken again when its lease
 * ends), and processing is idempotent: messages are deduplicated by wamid, statuses only move
 * forward, so a receipt processed twice, or Meta's own duplicates, change nothing.
 */
@ApplicationScoped
public class WebhookProcessor {

    private static final Logger LOG = Logger.getLogger(WebhookProcessor.class);
    private static final int BATCH = 20;
    private static final int MAX_ATTEMPTS = 5;
    private static final String CLAIM = "update whatsapp_receipt r set lease_until = now() + interval '60 seconds', attempts = r.attempts + 1 "
            + "from channel c where c.id = r.channel_id and r.id in (select id from whatsapp_receipt where processed_at is null "
            + "and (lease_until is null or lease_until < now()) order by id limit $1 for update skip locked) "
            + "returning r.id, r.body, r.attempts, c.workspace_id";
    private static final String DONE = "update whatsapp_receipt set processed_at = now(), lease_until = null, error = $2 where id = $1";

    /** One channel's phone numbers are found by phone_number_id among the receiving channel's workspace (one Meta app, many numbers). */
    private static final String CHANNEL_OF = "select id, default_team_id from channel where workspace_id = $1 and phone_number_id = $2";

    private final Pool pool;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final InboundService inbound;
    private final Deliveries deliveries;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean again;
    private volatile boolean stopped;

    public WebhookProcessor(Pool pool, Vertx vertx, ObjectMapper json, InboundService inbound, Deliveries deliveries) {
        this.pool = pool;
        this.vertx = vertx;
        this.json = json;
        this.inbound = inbound;
        this.deliveries = deliveries;
    }

    void start(@Observes StartupEvent event) {
        vertx.setPeriodic(1000, id -> wake());
        vertx.setPeriodic(3_600_000, id -> pool.query("delete from whatsapp_receipt where processed_at < now() - interval '7 days'")
                .execute().subscribe().with(r -> {
                }, e -> LOG.debugf("receipt cleanup failed: %s", e.getMessage())));
        wake();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    public void wake() {
        if (stopped) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            again = true;
            return;
        }
        again = false;
        processDue().subscribe().with(count -> {
            running.set(false);
            if (again || count == BATCH) {
                wake();
            }
        }, failure -> {
            running.set(false);
            LOG.debugf("webhook processing failed (retrying on the next wake-up): %s", failure.getMessage());
        });
    }

    /** Claims stored receipts and processes them (in parallel with each other; each one's items in order). */
    Uni<Integer> processDue() {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(BATCH)).chain(rows -> {
            List<Uni<Void>> work = new ArrayList<>();
            for (Row row : rows) {
                work.add(process(row.getLong("id"), row.getBuffer("body").getBytes(), row.getInteger("attempts"),
                        row.getUUID("workspace_id")));
            }
            return work.isEmpty() ? Uni.createFrom().item(0) : Uni.join().all(work).andCollectFailures().replaceWith(work.size());
        });
    }

    private Uni<Void> process(long id, byte[] body, int attempts, UUID workspaceId) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            return done(id, "not JSON: " + e.getMessage());
        }
        Uni<Void> steps = Uni.createFrom().voidItem();
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                if (!"messages".equals(change.path("field").asText())) {
                    continue; // account, template and quality updates: nothing for a chat
                }
                JsonNode value = change.path("value");
                String phoneNumberId = value.path("metadata").path("phone_number_id").asText(null);
                steps = steps.chain(() -> channelOf(workspaceId, phoneNumberId).chain(channel -> items(workspaceId, channel, value)));
            }
        }
        return steps.chain(() -> done(id, null)).onFailure().recoverWithUni(failure -> {
            if (attempts >= MAX_ATTEMPTS) {
                LOG.warnf("webhook receipt %d failed %d times, set aside: %s", id, attempts, failure.getMessage());
                return done(id, failure.toString());
            }
            LOG.debugf("webhook receipt %d failed (taken again after its lease): %s", id, failure.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /** The channel a change is for, and the team its new chats join (null = none). */
    private record ChannelRef(UUID id, UUID defaultTeamId) {
    }

    private Uni<Void> items(UUID workspaceId, ChannelRef channel, JsonNode value) {
        if (channel == null) {
            LOG.infof("webhook change for phone number id %s, which no channel of workspace %s has: skipped",
                    value.path("metadata").path("phone_number_id").asText(), workspaceId);
            return Uni.createFrom().voidItem();
        }
        Uni<Void> steps = Uni.createFrom().voidItem();
        for (JsonNode m : value.path("messages")) {
            InboundMapping.Message message = InboundMapping.message(m, value.path("contacts"));
            if (message != null) {
                steps = steps.chain(() -> Background.run(vertx, () -> inbound.receive(() -> Uni.createFrom().item(workspaceId),
                        arrival(channel, message))).replaceWithVoid());
            }
        }
        for (JsonNode s : value.path("statuses")) {
            InboundMapping.Status status = InboundMapping.status(s);
            if (status != null) {
                steps = steps.chain(() -> Background.run(vertx, () -> deliveries.status(workspaceId, status)).replaceWithVoid());
            }
        }
        return steps;
    }

    /**
     * A WhatsApp customer asks for a human ({@code handoff}): Baton has no bot, so the chat joins the
     * queue, or reopens into it when it was resolved.
     */
    private Arrival arrival(ChannelRef channel, InboundMapping.Message message) {
        TimelineEntry entry = TimelineEntry.of(EntryKind.INBOUND, null, message.text());
        entry.createdAt = message.at();
        entry.replyTo = message.replyTo();
        entry.content = message.parts().isEmpty() ? null : write(message.parts());
        return new Arrival(message.wamid(), new Customer(message.customerKey(), message.phone(), message.name()), true, entry, chat -> {
            // A chat with no entry yet was created by this message: it joins the channel's default team.
            if (chat.lastSeq == 0 && chat.teamId == null) {
                chat.teamId = channel.defaultTeamId();
            }
            chat.channelId = channel.id();
            chat.windowExpiresAt = CustomerWindow.extend(chat.windowExpiresAt, message.at());
        });
    }

    private Uni<ChannelRef> channelOf(UUID workspaceId, String phoneNumberId) {
        if (phoneNumberId == null) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery(CHANNEL_OF).execute(Tuple.of(workspaceId, phoneNumberId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new ChannelRef(row.getUUID("id"), row.getUUID("default_team_id"));
                });
    }

    private Uni<Void> done(long id, String error) {
        return pool.preparedQuery(DONE).execute(Tuple.of(id, error)).replaceWithVoid();
    }

    private String write(Map<String, Object> parts) {
        try {
            return json.writeValueAsString(parts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
