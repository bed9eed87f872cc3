package dev.baton.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.Metrics;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.quarkus.test.junit.QuarkusTest;

/** The baton.* counters on /q/metrics move with the actions they count, success and refusal alike. */
@QuarkusTest
class DomainMetricsTests {

    @Test
    void shouldCountTransitionsByKindAndOutcome() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent1", "AGENT");
        String chatId = api.newChat(true);
        double intervened = Metrics.sample("baton_transitions_total", "kind=\"intervene\",outcome=\"ok\"");
        double refused = Metrics.sample("baton_transitions_total", "kind=\"takeover\",outcome=\"forbidden\"");

        Api.act(agent, chatId, "intervene").then().statusCode(200);
        Api.act(agent, chatId, "takeover").then().statusCode(403);

        assertEquals(intervened + 1, Metrics.sample("baton_transitions_total", "kind=\"intervene\",outcome=\"ok\""));
        assertEquals(refused + 1, Metrics.sample("baton_transitions_total", "kind=\"takeover\",outcome=\"forbidden\""));
    }

    @Test
    void shouldCountRepliesAndInboundMessages() {
        Api api = Api.signUp();
        String chatId = api.newChat(true);
        double replies = Metrics.sample("baton_replies_total", "outcome=\"ok\"");
        double notHolder = Metrics.sample("baton_replies_total", "outcome=\"not-chat-holder\"");
        double inbound = Metrics.sample("baton_inbound_total", "outcome=\"ok\"");
        double replayed = Metrics.sample("baton_inbound_total", "outcome=\"replayed\"");

        Api.reply(api.owner, chatId, "not yet mine").then().statusCode(403);
        Api.act(api.owner, chatId, "intervene").then().statusCode(200);
        Api.reply(api.owner, chatId, "Hello!").then().statusCode(201);
        String externalId = UUID.randomUUID().toString();
        api.inbound(externalId, Api.randomPhone(), "hi", false).then().statusCode(201);
        api.inbound(externalId, Api.randomPhone(), "hi", false).then().statusCode(201);

        assertEquals(notHolder + 1, Metrics.sample("baton_replies_total", "outcome=\"not-chat-holder\""));
        assertEquals(replies + 1, Metrics.sample("baton_replies_total", "outcome=\"ok\""));
        assertEquals(inbound + 1, Metrics.sample("baton_inbound_total", "outcome=\"ok\""));
        assertEquals(replayed + 1, Metrics.sample("baton_inbound_total", "outcome=\"replayed\""));
    }

    @Test
    void shouldCountOpenSocketsByEndpointAndTimeEveryDelivery() throws Exception {
        Api api = Api.signUp();
        String chatId = api.newChat(false);
        double inboxes = Metrics.openSockets("inbox");
        double monitors = Metrics.openSockets("monitor");
        double delivered = Metrics.sample("baton_events_delivery_latency_seconds_count", "");

        Client inbox = Sockets.openInbox(api.owner.token());
        Client monitor = Sockets.monitor(chatId, api.owner.token());
        await().atMost(Duration.ofSeconds(5)).until(() -> Metrics.openSockets("monitor") == monitors + 1);
        assertEquals(inboxes + 1, Metrics.openSockets("inbox"));
        api.newChat(true);
        inbox.next("chat.queued");
        assertTrue(Metrics.sample("baton_events_delivery_latency_seconds_count", "") > delivered, "a delivered event is timed");

        inbox.close();
        monitor.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> Metrics.openSockets("inbox") == inboxes
                && Metrics.openSockets("monitor") == monitors);
    }

    @Test
    void shouldNameTheMetricsOfEveryDatabaseClient() {
        Api.signUp();
        String scrape = Metrics.scrape();
        assertEquals(List.of(), scrape.lines().filter(l -> l.startsWith("m_")).toList(), "meters without a name prefix");
        for (String client : List.of("<default>", "baton-realtime", "baton-listen")) {
            assertTrue(scrape.contains("postgresql_queue_size{clientName=\"" + client + "\",clientType=\"sql\"}"), client);
        }
    }
}
