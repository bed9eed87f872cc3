package dev.baton.ops;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
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
        double intervened = counter("baton_transitions_total", "kind=\"intervene\",outcome=\"ok\"");
        double refused = counter("baton_transitions_total", "kind=\"takeover\",outcome=\"forbidden\"");

        Api.act(agent, chatId, "intervene").then().statusCode(200);
        Api.act(agent, chatId, "takeover").then().statusCode(403);

        assertEquals(intervened + 1, counter("baton_transitions_total", "kind=\"intervene\",outcome=\"ok\""));
        assertEquals(refused + 1, counter("baton_transitions_total", "kind=\"takeover\",outcome=\"forbidden\""));
    }

    @Test
    void shouldCountRepliesAndInboundMessages() {
        Api api = Api.signUp();
        String chatId = api.newChat(true);
        double replies = counter("baton_replies_total", "outcome=\"ok\"");
        double notHolder = counter("baton_replies_total", "outcome=\"not-chat-holder\"");
        double inbound = counter("baton_inbound_total", "outcome=\"ok\"");
        double replayed = counter("baton_inbound_total", "outcome=\"replayed\"");

        Api.reply(api.owner, chatId, "not yet mine").then().statusCode(403);
        Api.act(api.owner, chatId, "intervene").then().statusCode(200);
        Api.reply(api.owner, chatId, "Hello!").then().statusCode(201);
        String externalId = UUID.randomUUID().toString();
        api.inbound(externalId, Api.randomPhone(), "hi", false).then().statusCode(201);
        api.inbound(externalId, Api.randomPhone(), "hi", false).then().statusCode(201);

        assertEquals(notHolder + 1, counter("baton_replies_total", "outcome=\"not-chat-holder\""));
        assertEquals(replies + 1, counter("baton_replies_total", "outcome=\"ok\""));
        assertEquals(inbound + 1, counter("baton_inbound_total", "outcome=\"ok\""));
        assertEquals(replayed + 1, counter("baton_inbound_total", "outcome=\"replayed\""));
    }

    @Test
    void shouldCountOpenSocketsByEndpointAndTimeEveryDelivery() throws Exception {
        Api api = Api.signUp();
        String chatId = api.newChat(false);
        double inboxes = sample("baton_sockets_open", "endpoint=\"inbox\"");
        double monitors = sample("baton_sockets_open", "endpoint=\"monitor\"");
        double delivered = sample("baton_events_delivery_latency_seconds_count", "");

        Client inbox = Sockets.openInbox(api.owner.token());
        Client monitor = Sockets.monitor(chatId, api.owner.token());
        await().atMost(Duration.ofSeconds(5)).until(() -> sample("baton_sockets_open", "endpoint=\"monitor\"") == monitors + 1);
        assertEquals(inboxes + 1, sample("baton_sockets_open", "endpoint=\"inbox\""));
        api.newChat(true);
        inbox.next("chat.queued");
        assertTrue(sample("baton_events_delivery_latency_seconds_count", "") > delivered, "a delivered event is timed");

        inbox.close();
        monitor.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> sample("baton_sockets_open", "endpoint=\"inbox\"") == inboxes
                && sample("baton_sockets_open", "endpoint=\"monitor\"") == monitors);
    }

    @Test
    void shouldNameTheMetricsOfEveryDatabaseClient() {
        Api.signUp();
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(List.of(), scrape.lines().filter(l -> l.startsWith("m_")).toList(), "meters without a name prefix");
        for (String client : List.of("<default>", "baton-realtime", "baton-listen")) {
            assertTrue(scrape.contains("postgresql_queue_size{clientName=\"" + client + "\",clientType=\"sql\"}"), client);
        }
    }

    /** The value of the sample of {@code name} whose labels include {@code labels} (any, when empty); 0 when absent. */
    static double sample(String name, String labels) {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)})? (\\S+)$").matcher(scrape);
        while (m.find()) {
            if (labels.isEmpty() || (m.group(1) != null && m.group(1).contains(labels))) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    /** The value of one Prometheus sample, 0 when it does not exist yet. */
    static double counter(String name, String labels) {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
