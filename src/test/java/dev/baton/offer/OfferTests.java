package dev.baton.offer;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/** Warm transfer (PRODUCT.md Part 2, "Warm transfer: offers"): who may offer, answer and cancel, and what each outcome does. */
@QuarkusTest
class OfferTests {

    static Response offer(Staff who, String chatId, String toAgentId) {
        return who.as().body(Map.of("toAgentId", toAgentId, "note", "for you")).post("/api/v1/chats/" + chatId + "/offers");
    }

    static Response offer(Staff who, String chatId, String toAgentId, String expiresIn) {
        return who.as().body(Map.of("toAgentId", toAgentId, "expiresIn", expiresIn)).post("/api/v1/chats/" + chatId + "/offers");
    }

    static Response on(Staff who, String offerId, String action) {
        return who.as().post("/api/v1/offers/" + offerId + "/" + action);
    }

    @Test
    void shouldLetOnlyTheHolderOrASupervisorOfferAChat() {
        Api api = Api.signUp();
        Staff holder = api.createAgent("holder", "AGENT");
        Staff other = api.createAgent("other", "AGENT");
        Staff target = api.createAgent("target", "AGENT");
        String chatId = api.chatHeldBy(holder);

        Api.expectProblem(offer(other, chatId, target.id()), 403, "not-chat-holder");
        Api.expectProblem(offer(holder, chatId, holder.id()), 409, "same-holder");
        Api.expectProblem(offer(holder, chatId, "00000000-0000-0000-0000-000000000000"), 404, "agent-not-found");
        Api.expectProblem(offer(holder, chatId, Api.signUp().owner.id()), 404, "agent-not-found");
        target.as().body(Map.of("availability", "OFFLINE")).put("/api/v1/agents/me/availability").then().statusCode(200);
        Api.expectProblem(offer(holder, chatId, target.id()), 409, "agent-offline");
        target.as().body(Map.of("availability", "ONLINE")).put("/api/v1/agents/me/availability").then().statusCode(200);

        String offerId = offer(holder, chatId, target.id()).then().statusCode(201).body("status", equalTo("PENDING"))
                .body("from.id", equalTo(holder.id())).extract().path("id");
        Api.expectProblem(offer(api.owner, chatId, other.id()), 409, "offer-pending");
        on(holder, offerId, "cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        offer(api.owner, chatId, other.id()).then().statusCode(201).body("from.id", equalTo(api.owner.id()));

        String open = api.newChat(false);
        Api.expectProblem(offer(api.owner, open, target.id()), 409, "invalid-transition");
        Api.expectProblem(offer(api.owner, Api.signUp().newChat(true), target.id()), 404, "chat-not-found");
    }

    @Test
    void shouldRefuseAnExpiryOutsideItsRange() {
        Api api = Api.signUp();
        Staff target = api.createAgent("target", "AGENT");
        String chatId = api.newChat(true);
        Api.expectProblem(offer(api.owner, chatId, target.id(), "PT2H"), 400, "validation-failed");
        Api.expectProblem(offer(api.owner, chatId, target.id(), "PT0.5S"), 400, "validation-failed");
        Api.expectProblem(offer(api.owner, chatId, target.id(), "sixty seconds"), 400, "validation-failed");
        Api.expectProblem(api.owner.as().body(Map.of("note", "no target")).post("/api/v1/chats/" + chatId + "/offers"), 400,
                "validation-failed");
        api.owner.as().get("/api/v1/chats/" + chatId + "/offers").then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void shouldLetOnlyTheTargetAnswerAndOnlyOnce() throws Exception {
        Api api = Api.signUp();
        Staff holder = api.createAgent("holder", "AGENT");
        Staff target = api.createAgent("target", "AGENT");
        Staff bystander = api.createAgent("bystander", "AGENT");
        String chatId = api.chatHeldBy(holder);
        Client holderInbox = Sockets.openInbox(holder.token());
        String offerId = offer(holder, chatId, target.id()).then().statusCode(201).extract().path("id");

        Api.expectProblem(on(holder, offerId, "accept"), 403, "forbidden");
        Api.expectProblem(on(api.owner, offerId, "decline"), 403, "forbidden");
        Api.expectProblem(on(target, offerId, "cancel"), 403, "forbidden");
        Api.expectProblem(on(bystander, offerId, "accept"), 404, "offer-not-found");
        Api.expectProblem(on(Api.signUp().owner, offerId, "cancel"), 404, "offer-not-found");
        Api.expectProblem(on(target, "not-an-id", "accept"), 404, "offer-not-found");

        target.as().body(Map.of("reason", "Busy with a VIP")).post("/api/v1/offers/" + offerId + "/decline").then().statusCode(200)
                .body("status", equalTo("DECLINED")).body("reason", equalTo("Busy with a VIP"));
        JsonObject declined = holderInbox.next("offer.declined");
        assertEquals("Busy with a VIP", declined.getJsonObject("data").getString("reason"));
        assertEquals(target.id(), declined.getJsonObject("performer").getString("id"));

        Api.expectProblem(on(target, offerId, "accept"), 409, "offer-not-pending");
        Api.expectProblem(on(holder, offerId, "cancel"), 409, "offer-not-pending");
        Api.chat(holder, chatId).then().statusCode(200).body("holder.id", equalTo(holder.id()));
        Api.chat(target, chatId).then().statusCode(404);
        assertEquals(2, Api.custody(api.owner, chatId).size(), "answering an offer no: no custody change");
    }

    @Test
    void shouldCancelAPendingOfferWhenCustodyChangesOtherwise() throws Exception {
        Api api = Api.signUp();
        Staff manager = api.createAgent("manager1", "MANAGER");
        Staff holder = api.createAgent("holder", "AGENT");
        Staff target = api.createAgent("target", "AGENT");
        String chatId = api.chatHeldBy(holder);
        Client holderInbox = Sockets.openInbox(holder.token());
        Client targetInbox = Sockets.openInbox(target.token());
        String offerId = offer(holder, chatId, target.id()).then().statusCode(201).extract().path("id");
        targetInbox.next("offer.created");

        Api.act(manager, chatId, "takeover").then().statusCode(200);

        JsonObject cancelled = holderInbox.next("offer.cancelled");
        assertEquals("TAKEOVER", cancelled.getJsonObject("data").getString("reason"));
        assertEquals("TAKEN_OVER", holderInbox.next("chat.revoked").getJsonObject("data").getString("reason"));
        assertEquals(offerId, targetInbox.next("offer.cancelled").getJsonObject("data").getString("id"));
        on(manager, offerId, "cancel").then().statusCode(409);
        Api.expectProblem(on(target, offerId, "accept"), 409, "offer-not-pending");
        manager.as().get("/api/v1/offers/" + offerId).then().statusCode(200).body("status", equalTo("CANCELLED"))
                .body("reason", equalTo("TAKEOVER"));
        Api.chat(target, chatId).then().statusCode(404);

        // Resolving cancels too, and an offer of a queued chat moves it from nobody.
        String second = offer(manager, chatId, target.id()).then().statusCode(201).extract().path("id");
        Api.act(manager, chatId, "resolve").then().statusCode(200);
        manager.as().get("/api/v1/offers/" + second).then().body("status", equalTo("CANCELLED")).body("reason", equalTo("RESOLVE"));
    }

    @Test
    void shouldMoveAQueuedChatToTheTargetOnAccept() throws Exception {
        Api api = Api.signUp();
        Staff target = api.createAgent("target", "AGENT");
        String chatId = api.newChat(true);
        String offerId = offer(api.owner, chatId, target.id()).then().statusCode(201).extract().path("id");
        target.as().get("/api/v1/offers?status=PENDING").then().statusCode(200).body("items.id", contains(offerId));
        api.owner.as().get("/api/v1/offers?status=PENDING").then().statusCode(200).body("items.id", contains(offerId));
        Client targetInbox = Sockets.openInbox(target.token());

        on(target, offerId, "accept").then().statusCode(200).body("status", equalTo("ACCEPTED"));

        assertEquals("ACCEPTED", targetInbox.next("offer.accepted").getJsonObject("data").getString("status"));
        assertEquals(chatId, targetInbox.next("chat.assigned").getString("chatId"));
        api.owner.as().get("/api/v1/chats/" + chatId + "/custody").then().statusCode(200)
                .body("items.custody.action", contains("HANDOFF", "TRANSFER"))
                .body("items[1].custody.from", nullValue()).body("items[1].custody.to.id", equalTo(target.id()))
                .body("items[1].custody.offerId", equalTo(offerId)).body("items[0].custody.offerId", nullValue());
        target.as().get("/api/v1/offers?status=PENDING").then().statusCode(200).body("items.size()", equalTo(0));
        target.as().get("/api/v1/offers?status=ACCEPTED").then().statusCode(200).body("items.id", hasItem(offerId));
        Api.expectProblem(target.as().get("/api/v1/offers?status=pending"), 400, "validation-failed");
    }

    @Test
    void shouldExpireAnUnansweredOfferAndLeaveTheChatWhereItWas() throws Exception {
        Api api = Api.signUp();
        Staff holder = api.createAgent("holder", "AGENT");
        Staff target = api.createAgent("target", "AGENT");
        String chatId = api.chatHeldBy(holder);
        Client holderInbox = Sockets.openInbox(holder.token());
        Client supervisorInbox = Sockets.openInbox(api.owner.token());
        String offerId = offer(holder, chatId, target.id(), "PT1S").then().statusCode(201).extract().path("id");
        assertEquals(offerId, supervisorInbox.next("chat.updated").getJsonObject("data").getJsonObject("offer").getString("id"));

        JsonObject expired = holderInbox.next("offer.expired");
        assertEquals(offerId, expired.getJsonObject("data").getString("id"));
        assertTrue(expired.getValue("performer") == null, "nobody performs an expiry");
        JsonObject updated = supervisorInbox.next("chat.updated");
        assertEquals("EXPIRED", updated.getJsonObject("data").getJsonObject("offer").getString("status"));
        assertEquals(null, updated.getJsonObject("data").getValue("action"));
        Api.expectProblem(on(target, offerId, "accept"), 409, "offer-not-pending");
        Api.chat(holder, chatId).then().statusCode(200).body("holder.id", equalTo(holder.id())).body("version", equalTo(2));
        holder.as().get("/api/v1/chats/" + chatId + "/offers").then().statusCode(200).body("items[0].status", equalTo("EXPIRED"))
                .body("items[0].endedAt", not(nullValue()));
        assertTrue(holderInbox.drain(500).stream().noneMatch(f -> "offer.expired".equals(f.getString("type"))), "expired twice");
    }

    @Test
    void shouldCheckTheTargetsCapacityWhenOfferedAndAgainWhenItAccepts() {
        Api api = Api.signUp();
        Staff holder = api.createAgent("holder", "AGENT");
        Staff target = api.createAgent("target", "AGENT");
        api.owner.as().body(Map.of("maxChats", 1)).patch("/api/v1/agents/" + target.id()).then().statusCode(200);
        String busy = api.chatHeldBy(target);
        String chatId = api.chatHeldBy(holder);
        Api.expectProblem(offer(holder, chatId, target.id()), 409, "agent-at-capacity");

        Api.act(target, busy, "resolve").then().statusCode(200);
        String offerId = offer(holder, chatId, target.id()).then().statusCode(201).extract().path("id");
        String another = api.chatHeldBy(target);
        Api.expectProblem(on(target, offerId, "accept"), 409, "agent-at-capacity");
        api.owner.as().get("/api/v1/offers/" + offerId).then().body("status", equalTo("PENDING"));
        Api.chat(holder, chatId).then().body("holder.id", equalTo(holder.id()));

        Api.act(target, another, "release").then().statusCode(200);
        on(target, offerId, "accept").then().statusCode(200).body("status", equalTo("ACCEPTED"));
        offer(api.owner, api.chatHeldBy(holder), api.owner.id()).then().statusCode(201);
    }
}
