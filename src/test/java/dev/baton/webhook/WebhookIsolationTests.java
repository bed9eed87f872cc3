package dev.baton.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.WebhookReceiver;
import dev.baton.support.WebhookReceiver.Received;
import dev.baton.support.WebhookReceiver.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/**
 * A receiver that hangs for the whole 15 s timeout holds only its own slots: custody changes keep
 * their speed and another receiver gets every event while the hanging one has not answered once.
 * Measured: custody change latency without webhooks, then with one healthy and one hanging
 * receiver; custody change → healthy receiver latency.
 */
@QuarkusTest
class WebhookIsolationTests {

    @Inject
    Pool pool;

    private static final int TRANSFERS = Integer.getInteger("baton.webhooks.isolation.transfers", 30);
    private static final long HANG_MILLIS = 15_000;
    private static final int BACKLOG = 100_000;

    @Test
    void shouldKeepCustodyChangesAndAHealthyReceiverFastWhileAnotherReceiverHangs() {
        List<Long> baseline = transfers(Api.signUp(), null);

        try (WebhookReceiver healthy = WebhookReceiver.ok();
                WebhookReceiver hanging = WebhookReceiver.start(r -> new Reply(200, Map.of(), HANG_MILLIS))) {
            Api api = Api.signUp();
            Webhooks.create(api.owner, hanging.url(), "chat.custody_changed");
            Webhooks.create(api.owner, healthy.url(), "chat.custody_changed");
            long start = System.nanoTime();
            Map<Long, Long> sentAt = new HashMap<>();
            List<Long> withHooks = transfers(api, sentAt);

            List<Received> got = await().atMost(Duration.ofSeconds(14)).until(healthy::received, r -> r.size() >= sentAt.size());
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMillis < HANG_MILLIS, "everything happened while the hanging receiver still held its first request");
            List<Long> endToEnd = new ArrayList<>();
            for (Received r : got) {
                Long sent = sentAt.get(r.json().getLong("seq"));
                if (sent != null) {
                    endToEnd.add((r.atNanos() - sent) / 1_000_000);
                }
            }
            assertEquals(TRANSFERS, endToEnd.size());
            int inFlight = hanging.received().size();
            assertTrue(inFlight <= 8, "at most max-in-flight-per-endpoint attempts held by the hanging receiver: " + inFlight);
            System.out.printf("WebhookIsolationTests: %d transfers; custody change p50/p99 %d/%d ms without webhooks, %d/%d ms with a healthy and "
                    + "a hanging receiver; custody change -> healthy receiver p50/p99 %d/%d ms; hanging receiver holds %d requests%n",
                    TRANSFERS, pct(baseline, 50), pct(baseline, 99), pct(withHooks, 50), pct(withHooks, 99), pct(endToEnd, 50),
                    pct(endToEnd, 99), inFlight);
        }
    }

    /**
     * A dead receiver's backlog must not make claiming the healthy receivers' deliveries any dearer
     * (the claim ran on every commit and once ranked every due row of every endpoint: 270 ms per
     * claim with a few thousand rows waiting for a hanging receiver). The claim is explained, in a
     * transaction rolled back, before and after 100,000 due rows pile up for a hanging endpoint; the
     * pages it touches must not grow with them.
     */
    @Test
    void shouldClaimWithoutReadingAnotherEndpointsBacklog() {
        try (WebhookReceiver hanging = WebhookReceiver.start(r -> new Reply(200, Map.of(), HANG_MILLIS))) {
            Api api = Api.signUp();
            Webhooks dead = Webhooks.create(api.owner, hanging.url(), "chat.custody_changed");
            // First the dead endpoint's slots fill up (8 attempts hanging), as they do in production.
            backlog(dead, api, "first-", 8);
            await().atMost(Duration.ofSeconds(10)).until(() -> hanging.received().size() == 8);
            long before = claimPages();
            backlog(dead, api, "backlog-", BACKLOG);
            pool.query("analyze webhook_delivery").execute().await().indefinitely();
            long after = claimPages();
            // Deleting the endpoint deletes its deliveries: no other test's claim meets this backlog.
            api.owner.as().delete("/api/v1/webhooks/" + dead.id()).then().statusCode(204);
            // The old claim read every due row: +427 pages for 20,000 rows, so > 2,000 for these. Other tests' endpoints
            // with due rows make the figure move by a few dozen pages between two claims.
            assertTrue(after - before < 250, "a claim touched " + before + " pages before and " + after + " pages after "
                    + BACKLOG + " rows waited for another endpoint");
        }
    }

    private void backlog(Webhooks endpoint, Api api, String prefix, int rows) {
        pool.preparedQuery("insert into webhook_delivery (id, endpoint_id, workspace_id, message_id, event_type, body, created_at, status, "
                + "attempts, due_at) select gen_random_uuid(), $1, $2, $3 || g, 'chat.custody_changed', '{}', now(), 'PENDING', 0, "
                + "now() - interval '1 minute' from generate_series(1, $4) g")
                .execute(Tuple.of(UUID.fromString(endpoint.id()), UUID.fromString(api.workspaceId), prefix, rows)).await().indefinitely();
    }

    /** Shared buffers the claim's choice of rows touches, explained in a transaction that is rolled back (nothing is claimed). */
    private long claimPages() {
        long[] pages = { -1 };
        pool.withTransaction(conn -> conn.preparedQuery("explain (analyze, buffers, format json) " + WebhookSender.CLAIM)
                .execute(Tuple.of(WebhookSender.BATCH, 8, 30.0)).invoke(rows -> {
                    JsonObject due = cte(new JsonArray(rows.iterator().next().getValue(0).toString()).getJsonObject(0).getJsonObject("Plan"));
                    pages[0] = due.getLong("Shared Hit Blocks") + due.getLong("Shared Read Blocks");
                }).chain(() -> Uni.createFrom().failure(new Rollback())))
                .onFailure(Rollback.class).recoverWithNull()
                .await().indefinitely();
        assertTrue(pages[0] >= 0, "the claim was explained");
        return pages[0];
    }

    /** The plan node choosing the rows ("CTE due"): what the claim reads, without the updates of the rows it claims. */
    private static JsonObject cte(JsonObject node) {
        if ("CTE due".equals(node.getString("Subplan Name"))) {
            return node;
        }
        JsonArray children = node.getJsonArray("Plans", new JsonArray());
        for (int i = 0; i < children.size(); i++) {
            JsonObject found = cte(children.getJsonObject(i));
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static final class Rollback extends RuntimeException {
    }

    /** Transfers one chat back and forth between two agents; returns each call's latency (ms) and notes when each seq was asked for. */
    private static List<Long> transfers(Api api, Map<Long, Long> sentAt) {
        Staff a = online(api, "a");
        Staff b = online(api, "b");
        String chatId = api.chatHeldBy(api.owner);
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < TRANSFERS; i++) {
            long t0 = System.nanoTime();
            Number seq = Api.transfer(api.owner, chatId, (i % 2 == 0 ? a : b).id()).then().statusCode(200).extract().path("lastSeq");
            latencies.add((System.nanoTime() - t0) / 1_000_000);
            if (sentAt != null) {
                sentAt.put(seq.longValue(), t0);
            }
        }
        return latencies;
    }

    private static Staff online(Api api, String name) {
        Staff agent = api.createAgent(Api.unique(name), "AGENT");
        agent.as().body(Map.of("availability", "ONLINE")).put("/api/v1/agents/me/availability").then().statusCode(200);
        return agent;
    }

    static long pct(List<Long> values, int percentile) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
}
