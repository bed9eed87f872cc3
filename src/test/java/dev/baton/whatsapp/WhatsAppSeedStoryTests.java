package dev.baton.whatsapp;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.GraphStub;
import dev.baton.support.GraphStub.Accepted;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import dev.baton.support.WhatsApp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The seed story end to end over WhatsApp: webhook in, replies to the (stub) Graph API, ticks on the holder's socket. */
@QuarkusTest
@QuarkusTestResource(GraphStub.class)
class WhatsAppSeedStoryTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void shouldCarryTheSeedStoryOverWhatsApp() throws Exception {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        Staff manager = api.createAgent("manager1", "MANAGER");
        Staff demo = api.createAgent("demoag3576", "AGENT");
        Staff kamlakshi = api.createAgent(manager, "Kamlakshi_demo_account", "AGENT");
        String customer = "919876543210";

        String chatId = wa.customerWrites(demo, customer, "Priya", "Hi, my order is late");
        Api.chat(demo, chatId).then().statusCode(200).body("status", equalTo("REQUESTING")).body("customer.name", equalTo("Priya"));
        Api.act(demo, chatId, "intervene").then().statusCode(200).body("holder.username", equalTo("demoag3576"));
        Api.reply(demo, chatId, "Let me check that for you").then().statusCode(201);
        await().atMost(WAIT).until(() -> GraphStub.acceptedFor("+" + customer).size() == 1);
        assertEquals("Let me check that for you", GraphStub.acceptedFor("+" + customer).get(0).body().getJsonObject("text").getString("body"));

        Api.act(manager, chatId, "takeover").then().statusCode(200).body("holder.username", equalTo("manager1"));
        Api.expectProblem(Api.reply(demo, chatId, "Are you still there?"), 403, "not-chat-holder");
        Api.transfer(manager, chatId, kamlakshi.id()).then().statusCode(200).body("holder.username", equalTo("Kamlakshi_demo_account"));

        Client inbox = Sockets.openInbox(kamlakshi.token());
        wa.post(wa.webhook(wa.messages(customer, "Priya", WhatsApp.text(customer, "Any news?"))));
        assertEquals("Any news?", inbox.next("message.created").getJsonObject("data").getString("text"));
        long seq = ((Number) Api.reply(kamlakshi, chatId, "Hello, I am taking care of your order").then().statusCode(201)
                .extract().path("seq")).longValue();
        Accepted sent = await().atMost(WAIT).until(() -> GraphStub.acceptedFor("+" + customer), list -> list.size() == 2).get(1);
        assertEquals("Hello, I am taking care of your order", sent.body().getJsonObject("text").getString("body"));

        String callback = chatId + ":" + seq;
        for (String status : new String[] { "SENT", "DELIVERED", "READ" }) {
            if (!status.equals("SENT")) {
                wa.post(wa.webhook(wa.statuses(WhatsApp.status(sent.wamid(), status.toLowerCase(), callback))));
            }
            JsonObject tick = inbox.next("message.status");
            assertEquals(seq, tick.getLong("seq"));
            assertEquals(status, tick.getJsonObject("data").getString("status"));
        }
        inbox.close();
        Api.chat(manager, chatId).then().body("windowExpiresAt", org.hamcrest.Matchers.notNullValue());
    }
}
