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

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.WebhookReceiver;
import dev.baton.support.WebhookReceiver.Received;
import dev.baton.support.WebhookReceiver.Reply;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A receiver that hangs for the whole 15 s timeout holds only its own slots: custody changes keep
 * their speed and another receiver gets every event while the hanging one has not answered once.
 * Measured: custody change latency without webhooks, then with one healthy and one hanging
 * receiver; custody change → healthy receiver latency.
 */
@QuarkusTest
class WebhookIsolationTests {

    private static final int TRANSFERS = Integer.getInteger("baton.webhooks.isolation.transfers", 30);
    private static final long HANG_MILLIS = 15_000;

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
