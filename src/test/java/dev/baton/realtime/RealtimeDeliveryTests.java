package dev.baton.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The seed story over sockets: delivery to the holder, instant and final revocation, incognito monitoring. */
@QuarkusTest
class RealtimeDeliveryTests {

    @Test
    void shouldStreamTheSeedStoryToWhoeverHoldsTheChat() throws Exception {
        Api api = Api.signUp();
        Staff manager = api.createAgent("manager1", "MANAGER");
        Staff demo = api.createAgent("demoag3576", "AGENT");
        Staff kamlakshi = api.createAgent("Kamlakshi_demo_account", "AGENT");
        String phone = Api.randomPhone();
        String chatId = api.inbound(phone, "Hi, my order is late", true).then().statusCode(201).extract().path("chatId");

        Client demoInbox = Sockets.inbox(demo.token());
        Client kamInbox = Sockets.inbox(kamlakshi.token());
        Client managerInbox = Sockets.inbox(manager.token());
        Client monitor = Sockets.monitor(chatId, api.owner.token());
        demoInbox.next("inbox.snapshot");
        kamInbox.next("inbox.snapshot");

        Api.act(demo, chatId, "intervene").then().statusCode(200);
        JsonObject assigned = demoInbox.next("chat.assigned");
        assertEquals(chatId, assigned.getString("chatId"));
        assertEquals("demoag3576", assigned.getJsonObject("data").getJsonObject("chat").getJsonObject("holder").getString("username"));
        assertEquals(api.workspaceId, assigned.getString("workspaceId"));
        assertEquals("demoag3576", assigned.getJsonObject("performer").getString("username"));

        api.inbound(phone, "Order #42", false).then().statusCode(201);
        JsonObject message = demoInbox.next("message.created");
        assertEquals("Order #42", message.getJsonObject("data").getString("text"));
        assertEquals("INBOUND", message.getJsonObject("data").getString("kind"));
        Api.reply(demo, chatId, "Checking").then().statusCode(201);
        assertEquals("Checking", demoInbox.next("message.created").getJsonObject("data").getString("text"));

        Api.act(manager, chatId, "takeover").then().statusCode(200);
        JsonObject revoked = demoInbox.next("chat.revoked");
        assertEquals("TAKEN_OVER", revoked.getJsonObject("data").getString("reason"));
        managerInbox.next("chat.assigned");

        api.inbound(phone, "Hello?", false).then().statusCode(201);
        api.inbound(phone, "Anyone?", false).then().statusCode(201);
        assertEquals("Anyone?", lastText(managerInbox, "Anyone?"));

        Api.transfer(manager, chatId, kamlakshi.id()).then().statusCode(200);
        JsonObject kamAssigned = kamInbox.next("chat.assigned");
        assertEquals("over to you", kamAssigned.getJsonObject("data").getString("note"));
        assertEquals("TRANSFERRED", managerInbox.next("chat.revoked").getJsonObject("data").getString("reason"));
        api.inbound(phone, "Thanks", false).then().statusCode(201);
        assertEquals("Thanks", kamInbox.next("message.created").getJsonObject("data").getString("text"));

        List<JsonObject> afterRevocation = demoInbox.drain(500);
        assertTrue(afterRevocation.stream().noneMatch(f -> chatId.equals(f.getString("chatId"))),
                "demoag3576 got frames of the chat after chat.revoked: " + afterRevocation);

        // The monitor saw every timeline entry, in seq order, with no gap.
        List<Long> seqs = framesUntilSeq(monitor, 9).stream().map(f -> f.getLong("seq")).collect(Collectors.toList());
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L), seqs.subList(seqs.size() - 7, seqs.size()));
        for (int i = 1; i < seqs.size(); i++) {
            assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "monitor seqs must be consecutive: " + seqs);
        }
        // Nobody else learns of the watcher: no frame anywhere mentions the owner.
        for (Client c : List.of(demoInbox, kamInbox, managerInbox)) {
            assertTrue(c.drain(100).stream().noneMatch(f -> f.encode().contains(api.owner.id())));
        }
        monitor.close();
        monitor.closed.get(5, java.util.concurrent.TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().untilAsserted(() -> api.owner.as().get("/api/v1/chats/" + chatId + "/monitors")
                .then().statusCode(200)
                .body("items[0].watcher.username", org.hamcrest.Matchers.equalTo("owner"))
                .body("items[0].endedAt", org.hamcrest.Matchers.notNullValue()));
        manager.as().get("/api/v1/chats/" + chatId + "/monitors").then().statusCode(403);
    }

    @Test
    void shouldQueueChatsToAllStaffAndUpdateSupervisors() throws Exception {
        Api api = Api.signUp();
        Staff agent = api.createAgent("queue-agent", "AGENT");
        Client agentInbox = Sockets.inbox(agent.token());
        Client ownerInbox = Sockets.inbox(api.owner.token());
        String chatId = api.newChat(true);
        assertEquals(chatId, agentInbox.next("chat.queued").getString("chatId"));
        JsonObject updated = ownerInbox.next("chat.updated");
        assertEquals(chatId, updated.getString("chatId"));
        assertEquals("HANDOFF", updated.getJsonObject("data").getString("action"));
        assertNull(agentInbox.drain(300).stream().filter(f -> "chat.updated".equals(f.getString("type"))).findFirst().orElse(null),
                "agents do not get supervisor list updates");
    }

    @Test
    void shouldCloseTheSocketsOfADeactivatedAgentAndRevokeItsChats() throws Exception {
        Api api = Api.signUp();
        Staff agent = api.createAgent("leaver", "AGENT");
        String chatId = api.newChat(false);
        Api.act(agent, chatId, "intervene").then().statusCode(200);
        Client inbox = Sockets.inbox(agent.token());
        assertEquals(1, inbox.next("inbox.snapshot").getJsonObject("data").getJsonArray("chats").size());
        api.owner.as().body(Map.of("active", false)).patch("/api/v1/agents/" + agent.id()).then().statusCode(200);
        assertEquals("DEACTIVATED", inbox.next("chat.revoked").getJsonObject("data").getString("reason"));
        assertEquals((short) 1008, inbox.closed.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(401, Sockets.refusal("/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + agent.token()), List.of()));
    }

    private static String lastText(Client client, String text) throws InterruptedException {
        while (true) {
            JsonObject frame = client.next("message.created");
            if (text.equals(frame.getJsonObject("data").getString("text"))) {
                return text;
            }
        }
    }

    private static List<JsonObject> framesUntilSeq(Client client, long seq) throws InterruptedException {
        List<JsonObject> frames = new java.util.ArrayList<>();
        while (frames.isEmpty() || frames.get(frames.size() - 1).getLong("seq") < seq) {
            frames.add(client.next("message.created"));
        }
        return frames;
    }
}
