package dev.baton;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import io.quarkus.test.junit.QuarkusTest;

/** The story from the Foundation issue, end to end over REST. */
@QuarkusTest
class SeedStoryTests {

    @Test
    void shouldHandOffACustomerFromAgentToManagerToAnotherAgent() {
        Api api = Api.signUp();
        Staff manager = api.createAgent("manager1", "MANAGER");
        Staff demo = api.createAgent("demoag3576", "AGENT");
        Staff kamlakshi = api.createAgent(manager, "Kamlakshi_demo_account", "AGENT");

        String chatId = api.inbound("+919876543210", "Hi, my order is late", true)
                .then().statusCode(201).extract().path("chatId");

        Api.act(demo, chatId, "intervene").then().statusCode(200)
                .body("status", equalTo("INTERVENED")).body("holder.username", equalTo("demoag3576"));
        Api.reply(demo, chatId, "Let me check that for you").then().statusCode(201).body("kind", equalTo("OUTBOUND"));

        manager.as().get("/api/v1/chats?status=INTERVENED").then().statusCode(200)
                .body("items.find { it.id == '" + chatId + "' }.holder.username", equalTo("demoag3576"));

        Api.act(manager, chatId, "takeover").then().statusCode(200).body("holder.username", equalTo("manager1"));
        Api.reply(demo, chatId, "Are you still there?").then().statusCode(403).body("code", equalTo("not-chat-holder"));
        demo.as().get("/api/v1/chats").then().statusCode(200).body("items.id", not(hasItem(chatId)));
        demo.as().get("/api/v1/chats/" + chatId).then().statusCode(404).body("code", equalTo("chat-not-found"));

        Api.transfer(manager, chatId, kamlakshi.id()).then().statusCode(200).body("holder.username", equalTo("Kamlakshi_demo_account"));
        Api.reply(kamlakshi, chatId, "Hello, I am taking care of your order").then().statusCode(201);

        manager.as().get("/api/v1/chats/" + chatId + "/custody").then().statusCode(200)
                .body("items.custody.action", contains("HANDOFF", "INTERVENE", "TAKEOVER", "TRANSFER"))
                .body("items.collect { it.author?.username }", contains(null, "demoag3576", "manager1", "manager1"))
                .body("items.collect { it.custody.to?.username }", contains(null, "demoag3576", "manager1", "Kamlakshi_demo_account"))
                .body("items.collect { it.custody.from?.username }", contains(null, null, "demoag3576", "manager1"));

        manager.as().get("/api/v1/chats/" + chatId + "/timeline").then().statusCode(200)
                .body("items.seq", contains(1, 2, 3, 4, 5, 6, 7))
                .body("items.kind", everyItem(org.hamcrest.Matchers.oneOf("INBOUND", "OUTBOUND", "CUSTODY")));
    }
}
