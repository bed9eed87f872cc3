package dev.baton.offer;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The seed story, warm: the manager offers demoag3576's chat from monitoring, Kamlakshi accepts. */
@QuarkusTest
class OfferSeedStoryTests {

    @Test
    void shouldOfferAMonitoredChatToAnotherAgentWhoAcceptsIt() throws Exception {
        Api api = Api.signUp();
        Staff manager = api.createAgent("manager1", "MANAGER");
        Staff demo = api.createAgent("demoag3576", "AGENT");
        Staff kamlakshi = api.createAgent(manager, "Kamlakshi_demo_account", "AGENT");
        String chatId = api.inbound("+919876543210", "Hi, my order is late", true).then().statusCode(201).extract().path("chatId");
        Api.act(demo, chatId, "intervene").then().statusCode(200);
        Api.reply(demo, chatId, "Let me check that for you").then().statusCode(201);

        Client demoInbox = Sockets.openInbox(demo.token());
        Client kamInbox = Sockets.openInbox(kamlakshi.token());
        Client monitor = Sockets.monitor(chatId, manager.token());

        String offerId = manager.as().body(Map.of("toAgentId", kamlakshi.id(), "note", "Order #42 is late; refund approved"))
                .post("/api/v1/chats/" + chatId + "/offers").then().statusCode(201)
                .body("status", equalTo("PENDING")).body("from.username", equalTo("manager1"))
                .body("to.username", equalTo("Kamlakshi_demo_account")).extract().path("id");
        assertEquals(offerId, kamInbox.next("offer.created").getJsonObject("data").getString("id"));
        assertEquals("Order #42 is late; refund approved", demoInbox.next("offer.created").getJsonObject("data").getString("note"));

        // The holder keeps custody while the offer stands; the target reads along.
        Api.reply(demo, chatId, "Still checking, one moment").then().statusCode(201);
        assertEquals("Still checking, one moment", monitor.next("message.created").getJsonObject("data").getString("text"));
        Api.chat(kamlakshi, chatId).then().statusCode(200).body("holder.username", equalTo("demoag3576"));
        kamlakshi.as().get("/api/v1/chats/" + chatId + "/timeline").then().statusCode(200)
                .body("items.text", hasItem("Still checking, one moment"));
        Api.reply(kamlakshi, chatId, "Not yet mine").then().statusCode(403).body("code", equalTo("not-chat-holder"));

        kamlakshi.as().post("/api/v1/offers/" + offerId + "/accept").then().statusCode(200).body("status", equalTo("ACCEPTED"));

        assertEquals("ACCEPTED", demoInbox.next("offer.accepted").getJsonObject("data").getString("status"));
        assertEquals("TRANSFERRED", demoInbox.next("chat.revoked").getJsonObject("data").getString("reason"));
        assertEquals(chatId, kamInbox.next("chat.assigned").getString("chatId"));
        Api.reply(demo, chatId, "Are you still there?").then().statusCode(403).body("code", equalTo("not-chat-holder"));
        Api.reply(kamlakshi, chatId, "Hello, your refund is on its way").then().statusCode(201);
        assertEquals("Hello, your refund is on its way", kamInbox.next("message.created").getJsonObject("data").getString("text"));
        api.inbound("+919876543210", "Thank you!", false).then().statusCode(201);
        assertEquals("Thank you!", kamInbox.next("message.created").getJsonObject("data").getString("text"));
        List<JsonObject> after = demoInbox.drain(500);
        assertTrue(after.stream().noneMatch(f -> chatId.equals(f.getString("chatId"))), "after chat.revoked: " + after);

        manager.as().get("/api/v1/chats/" + chatId + "/custody").then().statusCode(200)
                .body("items.custody.action", contains("HANDOFF", "INTERVENE", "TRANSFER"))
                .body("items[2].custody.offerId", equalTo(offerId))
                .body("items[2].custody.from.username", equalTo("demoag3576"))
                .body("items[2].custody.to.username", equalTo("Kamlakshi_demo_account"))
                .body("items[2].author.username", equalTo("manager1"))
                .body("items[2].text", equalTo("Order #42 is late; refund approved"));
        manager.as().get("/api/v1/chats/" + chatId + "/offers").then().statusCode(200)
                .body("items.id", contains(offerId)).body("items[0].status", equalTo("ACCEPTED"));
        monitor.close();
    }
}
