package dev.baton.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
 * Two packaged instances sharing only PostgreSQL: everything is posted through instance 1 while
 * the agents' sockets are on instance 2. Delivery, revocation and deactivation cross over.
 */
class CrossInstanceIT {

    @RegisterExtension
    static final PackagedStack stack = new PackagedStack();

    @AfterEach
    void resetPort() {
        RestAssured.reset();
    }

    @Test
    void shouldDeliverAndRevokeAcrossInstances() throws Exception {
        PackagedBaton second = stack.second();
        RestAssured.port = stack.baton().port();
        Api api = Api.signUp();
        Staff manager = api.createAgent("manager1", "MANAGER");
        Staff demo = api.createAgent("demoag3576", "AGENT");
        Staff kamlakshi = api.createAgent("Kamlakshi_demo_account", "AGENT");
        String phone = Api.randomPhone();
        String chatId = api.inbound(phone, "Hi", true).then().statusCode(201).extract().path("chatId");

        Client demoInbox = inboxOn(second, demo);
        Client kamInbox = inboxOn(second, kamlakshi);

        Api.act(demo, chatId, "intervene").then().statusCode(200);
        assertEquals(chatId, demoInbox.next("chat.assigned").getString("chatId"));
        api.inbound(phone, "Order #42", false).then().statusCode(201);
        assertEquals("Order #42", demoInbox.next("message.created").getJsonObject("data").getString("text"));

        Api.act(manager, chatId, "takeover").then().statusCode(200);
        assertEquals("TAKEN_OVER", demoInbox.next("chat.revoked").getJsonObject("data").getString("reason"));
        api.inbound(phone, "Still there?", false).then().statusCode(201);
        Api.transfer(manager, chatId, kamlakshi.id()).then().statusCode(200);
        JsonObject assigned = kamInbox.next("chat.assigned");
        assertEquals(chatId, assigned.getString("chatId"));
        api.inbound(phone, "Thanks", false).then().statusCode(201);
        assertEquals("Thanks", kamInbox.next("message.created").getJsonObject("data").getString("text"));

        List<JsonObject> leaked = demoInbox.drain(500);
        assertTrue(leaked.stream().noneMatch(f -> chatId.equals(f.getString("chatId"))), "after chat.revoked: " + leaked);
    }

    @Test
    void shouldCloseSocketsOnTheOtherInstanceWhenAnAgentIsDeactivated() throws Exception {
        PackagedBaton second = stack.second();
        RestAssured.port = stack.baton().port();
        Api api = Api.signUp();
        Staff agent = api.createAgent("leaver", "AGENT");
        String chatId = api.newChat(true);
        Api.act(agent, chatId, "intervene").then().statusCode(200);
        Client inbox = inboxOn(second, agent);

        api.owner.as().body(Map.of("active", false)).patch("/api/v1/agents/" + agent.id()).then().statusCode(200);
        assertEquals("DEACTIVATED", inbox.next("chat.revoked").getJsonObject("data").getString("reason"));
        assertEquals((short) 1008, inbox.closed.get(10, TimeUnit.SECONDS));
    }

    private static Client inboxOn(PackagedBaton instance, Staff staff) throws InterruptedException {
        Client client = Sockets.connect(instance.port(), "/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + staff.token()));
        client.next("inbox.snapshot");
        return client;
    }
}
