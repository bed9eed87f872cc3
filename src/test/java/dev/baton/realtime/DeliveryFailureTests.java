package dev.baton.realtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.Metrics;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/**
 * A delivery that throws is contained to its frame: counted, logged, and every later event still
 * reaches its sockets; the instance stays ready. (It used to leave the dispatcher's read loop
 * stuck, so that instance stopped delivering anything while still reporting ready.)
 */
@QuarkusTest
class DeliveryFailureTests {

    private static final String FRAME_FAILURES = "baton_events_delivery_failures_total";

    @Inject
    Pool database;

    @Test
    void shouldKeepDeliveringAfterAnEventWhoseDeliveryThrows() throws Exception {
        Api api = Api.signUp();
        Staff agent = api.createAgent("steady", "AGENT");
        String phone = Api.randomPhone();
        String chatId = api.inbound(phone, "Hi", true).then().statusCode(201).extract().path("chatId");
        Api.act(agent, chatId, "intervene").then().statusCode(200);
        Client inbox = Sockets.openInbox(agent.token());
        double failuresBefore = Metrics.sample(FRAME_FAILURES, "scope=\"frame\"");

        // A row no writer of Baton produces: a delivery without an audience, which the fan-out cannot route.
        database.preparedQuery("insert into event (workspace_id, chat_id, deliveries) values ($1, $2, $3)")
                .execute(Tuple.of(UUID.fromString(api.workspaceId), UUID.fromString(chatId),
                        "[{\"audience\":null,\"agentId\":null,\"frame\":\"{}\"},{\"audience\":\"STAFF\",\"agentId\":null,\"frame\":"
                                + "\"{\\\"type\\\":\\\"poison.sibling\\\"}\"}]"))
                .await().atMost(Duration.ofSeconds(10));
        api.inbound(phone, "still delivered", false).then().statusCode(201);

        assertEquals("poison.sibling", inbox.next("poison.sibling").getString("type"), "the other frame of the same row");
        assertEquals("still delivered", inbox.next("message.created").getJsonObject("data").getString("text"));
        assertTrue(Metrics.sample(FRAME_FAILURES, "scope=\"frame\"") >= failuresBefore + 1, "the failure is counted");
        given().port(Metrics.managementPort()).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
