package dev.baton.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.WebhookReceiver;
import dev.baton.support.WebhookReceiver.Received;
import dev.baton.support.WebhookReceiver.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Webhooks as a receiver sees them: every event of a chat's story, signed the Standard Webhooks way
 * (checked by the receiver's own verifier), bodies as PRODUCT.md gives them; and the faults — a
 * receiver failing then succeeding, failing for good (FAILED, then replay), 410, 429 with
 * Retry-After, redirects. The test schedule is PT0S,PT0.2S,PT0.2S,PT0.2S (four attempts).
 */
@QuarkusTest
class WebhookDeliveryTests {

    private static final String[] ALL = WebhookEvents.TYPES.toArray(String[]::new);

    @Test
    void shouldTellAWarmTransferAsOfferEventsAndTheTransferNamingTheOffer() {
        try (WebhookReceiver receiver = WebhookReceiver.ok()) {
            Api api = Api.signUp();
            Webhooks hook = Webhooks.create(api.owner, receiver.url(), "offer.created", "offer.accepted", "chat.custody_changed");
            Staff agent = api.createAgent(Api.unique("agent"), "AGENT");
            agent.as().body(Map.of("availability", "ONLINE")).put("/api/v1/agents/me/availability").then().statusCode(200);
            String chatId = api.newChat(true);
            Api.act(api.owner, chatId, "intervene").then().statusCode(200);
            String offerId = api.owner.as().body(Map.of("toAgentId", agent.id(), "note", "yours if you want it"))
                    .post("/api/v1/chats/" + chatId + "/offers").then().statusCode(201).extract().path("id");
            agent.as().post("/api/v1/offers/" + offerId + "/accept").then().statusCode(200);

            List<Received> accepted = await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("offer.accepted"),
                    r -> r.size() == 1);
            List<Received> created = receiver.received("offer.created");
            assertEquals(1, created.size(), "one offer.created");
            for (Received r : List.of(created.get(0), accepted.get(0))) {
                assertNull(WebhookReceiver.verify(hook.secret(), r), () -> "signature of " + r.body());
                assertEquals(offerId, r.json().getJsonObject("data").getString("id"));
                assertEquals(chatId, r.json().getString("chatId"));
            }
            assertEquals("ACCEPTED", accepted.get(0).json().getJsonObject("data").getString("status"));
            JsonObject transfer = await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("chat.custody_changed").stream()
                    .map(Received::json).filter(j -> "TRANSFER".equals(j.getJsonObject("data").getString("action"))).findFirst().orElse(null),
                    j -> j != null).getJsonObject("data");
            assertEquals(agent.id(), transfer.getJsonObject("to").getString("id"));
            assertEquals("TRANSFERRED", transfer.getString("reason"));
        }
    }

    @Test
    void shouldTellEveryEventOfAChatsStorySignedWithTheBodiesProductMdGives() {
        try (WebhookReceiver receiver = WebhookReceiver.ok()) {
            Api api = Api.signUp();
            Webhooks hook = Webhooks.create(api.owner, receiver.url(), ALL);
            Staff agent = api.createAgent(Api.unique("agent"), "AGENT");
            agent.as().body(Map.of("availability", "ONLINE")).put("/api/v1/agents/me/availability").then().statusCode(200);

            String chatId = api.newChat(true); // HANDOFF: custody_changed + queued, then the customer's message
            Api.act(api.owner, chatId, "intervene").then().statusCode(200);
            Api.reply(api.owner, chatId, "Hello from us").then().statusCode(201);
            Api.note(api.owner, chatId, "VIP customer").then().statusCode(201);
            Api.transfer(api.owner, chatId, agent.id()).then().statusCode(200);
            Api.act(agent, chatId, "resolve").then().statusCode(200);

            List<Received> all = await().atMost(Duration.ofSeconds(30)).until(receiver::received,
                    r -> r.stream().filter(x -> x.json().getString("type").equals("chat.resolved")).count() == 1);
            for (Received r : all) {
                assertNull(WebhookReceiver.verify(hook.secret(), r), () -> "signature of " + r.body());
                assertEquals(r.id(), r.json().getString("id"), "the body's id is the webhook-id");
                assertEquals(api.workspaceId, r.json().getString("workspaceId"));
                assertEquals(chatId, r.json().getString("chatId"));
            }
            assertEquals(all.size(), new HashSet<>(all.stream().map(Received::id).toList()).size(), "one delivery per event: " + all);

            List<JsonObject> changes = receiver.received("chat.custody_changed").stream().map(Received::json)
                    .sorted((a, b) -> Long.compare(a.getLong("seq"), b.getLong("seq"))).toList();
            assertEquals(List.of("HANDOFF", "INTERVENE", "TRANSFER", "RESOLVE"),
                    changes.stream().map(c -> c.getJsonObject("data").getString("action")).toList());
            JsonObject handoff = changes.get(0).getJsonObject("data");
            assertEquals("REQUESTING", handoff.getJsonObject("chat").getString("status"));
            assertNull(handoff.getValue("actor"));
            assertNull(handoff.getValue("reason"));
            JsonObject transfer = changes.get(2).getJsonObject("data");
            assertEquals(api.owner.id(), transfer.getJsonObject("from").getString("id"));
            assertEquals(agent.id(), transfer.getJsonObject("to").getString("id"));
            assertEquals(agent.username(), transfer.getJsonObject("to").getString("username"));
            assertEquals(api.owner.id(), transfer.getJsonObject("actor").getString("id"));
            assertEquals("over to you", transfer.getString("note"));
            assertEquals("TRANSFERRED", transfer.getString("reason"));
            assertEquals(agent.id(), transfer.getJsonObject("chat").getJsonObject("holder").getString("id"));
            assertEquals(api.owner.id(), changes.get(2).getJsonObject("performer").getString("id"));
            assertTrue(changes.get(2).containsKey("at") && changes.get(2).containsKey("seq"));
            assertEquals("RESOLVED", changes.get(3).getJsonObject("data").getString("reason"));

            JsonObject resolved = receiver.received("chat.resolved").get(0).json();
            assertEquals("RESOLVED", resolved.getJsonObject("data").getJsonObject("chat").getString("status"));
            assertEquals(1, receiver.received("chat.queued").size());
            assertEquals("REQUESTING", receiver.received("chat.queued").get(0).json().getJsonObject("data").getJsonObject("chat")
                    .getString("status"));

            List<JsonObject> messages = receiver.received("message.created").stream().map(Received::json).toList();
            assertEquals(2, messages.size(), "the customer's message and the reply, nothing else: " + messages);
            assertEquals(List.of("INBOUND", "OUTBOUND"), messages.stream().map(m -> m.getJsonObject("data").getString("kind")).sorted().toList());
            JsonObject note = receiver.received("note.created").get(0).json();
            assertEquals("NOTE", note.getJsonObject("data").getString("kind"));
            assertEquals("VIP customer", note.getJsonObject("data").getString("text"));
            assertEquals(note.getLong("seq"), note.getJsonObject("data").getLong("seq"));
            assertEquals(0, receiver.concurrentDuplicates());
        }
    }

    @Test
    void shouldSendOnlyTheSubscribedTypesAndNothingOfOtherWorkspaces() {
        try (WebhookReceiver receiver = WebhookReceiver.ok()) {
            Api api = Api.signUp();
            Webhooks.create(api.owner, receiver.url(), "note.created");
            Api other = Api.signUp();
            String otherChat = other.chatHeldBy(other.owner);
            Api.note(other.owner, otherChat, "elsewhere").then().statusCode(201);
            String chatId = api.chatHeldBy(api.owner);
            Api.note(api.owner, chatId, "mine").then().statusCode(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() >= 1);
            Api.note(api.owner, chatId, "fence").then().statusCode(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() >= 2);
            assertEquals(List.of("mine", "fence"), receiver.received().stream()
                    .map(r -> r.json().getJsonObject("data").getString("text")).toList());
        }
    }

    @Test
    void shouldRetryAFailingReceiverWithTheSameIdAndAFreshValidSignatureEachAttempt() {
        AtomicInteger calls = new AtomicInteger();
        try (WebhookReceiver receiver = WebhookReceiver.start(r -> calls.incrementAndGet() <= 2 ? Reply.status(500) : Reply.ok())) {
            Api api = Api.signUp();
            Webhooks hook = Webhooks.create(api.owner, receiver.url(), "note.created");
            Api.note(api.owner, api.chatHeldBy(api.owner), "third time lucky").then().statusCode(201);

            Map<String, Object> delivered = hook.awaitDelivery("note.created", "DELIVERED");
            assertEquals(3, delivered.get("attempts"));
            assertEquals(200, delivered.get("responseStatus"));
            List<Received> attempts = receiver.received();
            assertEquals(3, attempts.size());
            assertEquals(1, new HashSet<>(attempts.stream().map(Received::id).toList()).size(), "the same webhook-id every attempt");
            assertEquals(delivered.get("messageId"), attempts.get(0).id());
            for (Received r : attempts) {
                assertNull(WebhookReceiver.verify(hook.secret(), r));
            }
        }
    }

    @Test
    void shouldFailAfterTheLastAttemptAndDeliverOnReplayWithTheSameId() {
        try (WebhookReceiver receiver = WebhookReceiver.start(r -> Reply.status(500))) {
            Api api = Api.signUp();
            Webhooks hook = Webhooks.create(api.owner, receiver.url(), "note.created");
            Api.note(api.owner, api.chatHeldBy(api.owner), "nobody home").then().statusCode(201);

            Map<String, Object> failed = hook.awaitDelivery("note.created", "FAILED");
            assertEquals(4, failed.get("attempts"));
            assertEquals(500, failed.get("responseStatus"));
            assertEquals("HTTP 500", failed.get("lastError"));
            assertEquals(4, receiver.received().size());
            assertEquals(1, hook.owner().as().get("/api/v1/webhooks/" + hook.id() + "/deliveries?status=FAILED").jsonPath()
                    .getList("items").size());

            receiver.answer(r -> Reply.ok());
            hook.owner().as().post("/api/v1/webhooks/" + hook.id() + "/deliveries/" + failed.get("id") + "/replay").then().statusCode(200);
            Map<String, Object> delivered = hook.awaitDelivery("note.created", "DELIVERED");
            assertEquals(failed.get("id"), delivered.get("id"));
            assertEquals(5, receiver.received().size());
            assertEquals(failed.get("messageId"), receiver.received().get(4).id());
            assertNull(WebhookReceiver.verify(hook.secret(), receiver.received().get(4)));
        }
    }

    @Test
    void shouldDisableTheEndpointWhenTheReceiverAnswers410() {
        try (WebhookReceiver receiver = WebhookReceiver.start(r -> Reply.status(410))) {
            Api api = Api.signUp();
            Webhooks hook = Webhooks.create(api.owner, receiver.url(), "note.created");
            String chatId = api.chatHeldBy(api.owner);
            Api.note(api.owner, chatId, "gone?").then().statusCode(201);

            Map<String, Object> failed = hook.awaitDelivery("note.created", "FAILED");
            assertEquals(1, failed.get("attempts"), "410 is final");
            assertFalse(hook.endpoint().getBoolean("active"));
            assertTrue(hook.endpoint().getString("disabledReason").contains("410"));
            Api.note(api.owner, chatId, "after").then().statusCode(201);
            Api.note(api.owner, chatId, "fence").then().statusCode(201);
            // The consumer has passed both notes once the log's position is beyond them: no delivery for a disabled endpoint.
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> hook.deliveries().size() == 1);
            assertEquals(1, receiver.received().size());

            hook.owner().as().body(Map.of("active", true)).patch("/api/v1/webhooks/" + hook.id()).then().statusCode(200)
                    .body("active", org.hamcrest.Matchers.equalTo(true));
            assertNull(hook.endpoint().getString("disabledReason"));
        }
    }

    @Test
    void shouldWaitAsLongAsRetryAfterAsksOn429() {
        AtomicInteger calls = new AtomicInteger();
        try (WebhookReceiver receiver = WebhookReceiver.start(r -> calls.incrementAndGet() == 1
                ? new Reply(429, Map.of("Retry-After", "2"), 0) : Reply.ok())) {
            Api api = Api.signUp();
            Webhooks hook = Webhooks.create(api.owner, receiver.url(), "note.created");
            Api.note(api.owner, api.chatHeldBy(api.owner), "slow down").then().statusCode(201);

            hook.awaitDelivery("note.created", "DELIVERED");
            List<Received> attempts = receiver.received();
            assertEquals(2, attempts.size());
            long gapMillis = (attempts.get(1).atNanos() - attempts.get(0).atNanos()) / 1_000_000;
            assertTrue(gapMillis >= 1900, "the schedule says 0.2 s, Retry-After 2 s; waited " + gapMillis + " ms");
            assertNull(WebhookReceiver.verify(hook.secret(), attempts.get(1)));
        }
    }

    @Test
    void shouldNotFollowRedirects() {
        try (WebhookReceiver target = WebhookReceiver.ok();
                WebhookReceiver redirecting = WebhookReceiver.start(r -> new Reply(307, Map.of("Location", target.url()), 0))) {
            Api api = Api.signUp();
            Webhooks hook = Webhooks.create(api.owner, redirecting.url(), "note.created");
            Api.note(api.owner, api.chatHeldBy(api.owner), "over there").then().statusCode(201);

            Map<String, Object> failed = hook.awaitDelivery("note.created", "FAILED");
            assertEquals(307, failed.get("responseStatus"));
            assertEquals(4, redirecting.received().size());
            assertEquals(0, target.received().size());
        }
    }

    @Test
    void shouldSignWithBothSecretsDuringARotation() {
        try (WebhookReceiver receiver = WebhookReceiver.ok()) {
            Api api = Api.signUp();
            Webhooks hook = Webhooks.create(api.owner, receiver.url(), "note.created");
            String rotated = hook.owner().as().post("/api/v1/webhooks/" + hook.id() + "/rotate-secret").then().statusCode(200)
                    .body("previousSecretUntil", org.hamcrest.Matchers.notNullValue()).extract().path("secret");
            assertFalse(rotated.equals(hook.secret()));
            Api.note(api.owner, api.chatHeldBy(api.owner), "rotating").then().statusCode(201);

            hook.awaitDelivery("note.created", "DELIVERED");
            Received r = receiver.received().get(0);
            assertNull(WebhookReceiver.verify(rotated, r), "the new secret verifies");
            assertNull(WebhookReceiver.verify(hook.secret(), r), "the previous secret still verifies during the window");
        }
    }

    @Test
    void shouldLetOnlyOwnersManageEndpointsAndShowTheSecretOnce() {
        Api api = Api.signUp();
        Webhooks hook = Webhooks.create(api.owner, "http://127.0.0.1:9/hook", "chat.queued", "message.status");
        assertTrue(hook.secret().startsWith("whsec_"));
        List<Map<String, Object>> listed = api.owner.as().get("/api/v1/webhooks").then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(1, listed.size());
        assertFalse(listed.get(0).containsKey("secret"), "the secret is shown once: " + listed);
        assertEquals(List.of("chat.queued", "message.status"), listed.get(0).get("events"));

        Staff manager = api.createAgent(Api.unique("manager"), "MANAGER");
        Api.expectProblem(manager.as().get("/api/v1/webhooks"), 403, "forbidden");
        Api.expectProblem(Api.signUp().owner.as().get("/api/v1/webhooks/" + hook.id()), 404, "webhook-not-found");
        Api.expectProblem(api.owner.as().get("/api/v1/webhooks/not-a-uuid/deliveries"), 404, "webhook-not-found");
        Api.expectProblem(api.owner.as().body(Map.of("url", "ftp://x/y", "events", List.of("chat.queued"))).post("/api/v1/webhooks"),
                400, "validation-failed");
        Api.expectProblem(api.owner.as().body(Map.of("url", "https://x.example/y", "events", List.of("chat.nonsense")))
                .post("/api/v1/webhooks"), 400, "validation-failed");
        Api.expectProblem(api.owner.as().body(Map.of("url", "https://x.example/y", "events", List.of()))
                .post("/api/v1/webhooks"), 400, "validation-failed");
        Api.expectProblem(api.owner.as().get("/api/v1/webhooks/" + hook.id() + "/deliveries?status=LOST"), 400, "validation-failed");

        api.owner.as().body(Map.of("events", List.of("note.created"), "active", false)).patch("/api/v1/webhooks/" + hook.id())
                .then().statusCode(200).body("events", org.hamcrest.Matchers.equalTo(List.of("note.created")))
                .body("active", org.hamcrest.Matchers.equalTo(false)).body("secret", org.hamcrest.Matchers.nullValue());
        api.owner.as().delete("/api/v1/webhooks/" + hook.id()).then().statusCode(204);
        Api.expectProblem(api.owner.as().get("/api/v1/webhooks/" + hook.id()), 404, "webhook-not-found");
        assertEquals(new ArrayList<>(), api.owner.as().get("/api/v1/webhooks").jsonPath().getList("$"));
    }
}
