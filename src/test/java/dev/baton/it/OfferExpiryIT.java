package dev.baton.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * Offer expiry is a database timer: with two packaged instances sweeping the same PostgreSQL, each
 * offer expires exactly once (one event, one frame on every socket of its holder, wherever it is
 * connected); and an offer whose instances were all killed before its deadline expires once, after
 * it, when a new instance is up. {@code BATON_OFFERS_MIN_EXPIRES_IN} is lowered so that offers may be this short.
 */
class OfferExpiryIT {

    @RegisterExtension
    static final PackagedStack stack = new PackagedStack(Map.of("BATON_OFFERS_MIN_EXPIRES_IN", "PT1S",
            "BATON_OFFERS_SWEEP_INTERVAL", "PT0.2S"));

    @AfterEach
    void resetPort() {
        RestAssured.reset();
    }

    @Test
    void shouldExpireEachOfferOnceWithTwoInstancesAndOnceWhenAllInstancesDiedBeforeItsDeadline() throws Exception {
        PackagedBaton first = stack.baton();
        PackagedBaton second = stack.startInstance();
        RestAssured.port = first.port();
        Api api = Api.signUp();
        Staff holder = api.createAgent("demoag3576", "AGENT");
        Staff target = api.createAgent("Kamlakshi_demo_account", "AGENT");
        Client onFirst = inboxOn(first, holder);
        Client onSecond = inboxOn(second, holder);

        List<String> chats = new ArrayList<>();
        List<String> offers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String chatId = api.chatHeldBy(holder);
            chats.add(chatId);
            offers.add(offer(holder, chatId, target, "PT1S").getString("id"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> holder.as()
                .get("/api/v1/offers?status=PENDING").then().statusCode(200).extract().jsonPath().getList("items").isEmpty());
        List<JsonObject> framesOnFirst = onFirst.drain(1000);
        List<JsonObject> framesOnSecond = onSecond.drain(100);
        for (int i = 0; i < offers.size(); i++) {
            holder.as().get("/api/v1/offers/" + offers.get(i)).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("EXPIRED"));
            assertEquals(1, expiries(framesOnFirst, offers.get(i)), "offer.expired frames on instance 1");
            assertEquals(1, expiries(framesOnSecond, offers.get(i)), "offer.expired frames on instance 2");
            assertEquals(1, expiryEvents(chats.get(i)), "offer.expired events in the log");
        }

        // Every instance dies before the deadline (kill -9: no shutdown hook, no in-memory timer survives); a new one fires it.
        String chatId = api.chatHeldBy(holder);
        JsonObject offer = offer(holder, chatId, target, "PT10S");
        Instant deadline = OffsetDateTime.parse(offer.getString("expiresAt")).toInstant();
        first.kill9();
        second.kill9();
        assertTrue(Instant.now().isBefore(deadline), "the instances were killed after the deadline");
        PackagedBaton restarted = stack.startInstance();
        RestAssured.port = restarted.port();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "EXPIRED".equals(
                holder.as().get("/api/v1/offers/" + offer.getString("id")).then().statusCode(200).extract().path("status")));
        String endedAt = holder.as().get("/api/v1/offers/" + offer.getString("id")).then().extract().path("endedAt");
        assertFalse(OffsetDateTime.parse(endedAt).toInstant().isBefore(deadline), "expired before its deadline");
        assertEquals(1, expiryEvents(chatId), "offer.expired events in the log");
    }

    private static JsonObject offer(Staff holder, String chatId, Staff target, String expiresIn) {
        return new JsonObject(holder.as().body(Map.of("toAgentId", target.id(), "expiresIn", expiresIn))
                .post("/api/v1/chats/" + chatId + "/offers").then().statusCode(201).extract().asString());
    }

    private static long expiries(List<JsonObject> frames, String offerId) {
        return frames.stream().filter(f -> "offer.expired".equals(f.getString("type")))
                .filter(f -> offerId.equals(f.getJsonObject("data").getString("id"))).count();
    }

    private static int expiryEvents(String chatId) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + stack.postgres().port() + "/postgres",
                ExternalPostgres.USERNAME, ExternalPostgres.PASSWORD);
                PreparedStatement count = db.prepareStatement("select count(*) from event where chat_id = ? and deliveries like ?")) {
            count.setObject(1, UUID.fromString(chatId));
            count.setString(2, "%offer.expired%");
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static Client inboxOn(PackagedBaton instance, Staff staff) throws InterruptedException {
        Client client = Sockets.connect(instance.port(), "/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + staff.token()));
        client.next("inbox.snapshot");
        return client;
    }
}
