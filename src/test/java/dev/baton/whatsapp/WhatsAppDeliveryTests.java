package dev.baton.whatsapp;

import static dev.baton.support.Api.expectProblem;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.GraphStub;
import dev.baton.support.GraphStub.Accepted;
import dev.baton.support.GraphStub.Fault;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import dev.baton.support.WhatsApp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;

/** Replies out through the Graph API: exactly once under faults and concurrent claimers, statuses, the 24-hour window. */
@QuarkusTest
@QuarkusTestResource(GraphStub.class)
class WhatsAppDeliveryTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Sender sender;

    @Test
    void shouldSendAReplyAsMetaExpectsAndFollowItsStatusesToRead() throws Exception {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        String from = customer();
        String chatId = wa.customerWrites(api.owner, from, "Sheena", "Does it come in blue?");
        Api.act(api.owner, chatId, "intervene").then().statusCode(200);
        Client inbox = Sockets.openInbox(api.owner.token());

        Response reply = Api.reply(api.owner, chatId, "Yes, in navy blue");
        reply.then().statusCode(201);
        assertEquals("PENDING", reply.path("delivery.status"));
        long seq = ((Number) reply.path("seq")).longValue();

        Accepted sent = await().atMost(WAIT).until(() -> GraphStub.acceptedFor("+" + from), list -> list.size() == 1).get(0);
        assertEquals(wa.phoneNumberId, sent.phoneNumberId());
        assertEquals("Bearer " + WhatsApp.ACCESS_TOKEN, sent.authorization());
        JsonObject body = sent.body();
        assertEquals("whatsapp", body.getString("messaging_product"));
        assertEquals("individual", body.getString("recipient_type"));
        assertEquals("+" + from, body.getString("to"));
        assertEquals("text", body.getString("type"));
        assertEquals("Yes, in navy blue", body.getJsonObject("text").getString("body"));
        assertEquals(chatId + ":" + seq, body.getString("biz_opaque_callback_data"));

        assertEquals("SENT", inbox.next("message.status").getJsonObject("data").getString("status"));
        await().atMost(WAIT).until(() -> "SENT".equals(delivery(api.owner, chatId, seq)));

        String callback = chatId + ":" + seq;
        wa.post(wa.webhook(wa.statuses(WhatsApp.status(sent.wamid(), "delivered", callback))));
        JsonObject delivered = inbox.next("message.status");
        assertEquals(seq, delivered.getLong("seq"));
        assertEquals("DELIVERED", delivered.getJsonObject("data").getString("status"));
        wa.post(wa.webhook(wa.statuses(WhatsApp.status(sent.wamid(), "read", callback))));
        assertEquals("READ", inbox.next("message.status").getJsonObject("data").getString("status"));
        // Meta's duplicates and late deliveries arrive in any order: nothing goes backwards, nothing is announced twice.
        wa.post(wa.webhook(wa.statuses(WhatsApp.status(sent.wamid(), "delivered", callback), WhatsApp.status(sent.wamid(), "sent", callback))));
        wa.post(wa.webhook(wa.messages(from, "Sheena", WhatsApp.text(from, "thanks"))));
        inbox.next("message.created");
        assertEquals("READ", delivery(api.owner, chatId, seq));
        assertTrue(inbox.drain(200).stream().noneMatch(f -> "message.status".equals(f.getString("type"))));
        inbox.close();
    }

    @Test
    void shouldRetryTransientFailuresAndSendEachReplyExactlyOnce() {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        String from = customer();
        String chatId = wa.customerWrites(api.owner, from, "Ravi", "Hello?");
        Api.act(api.owner, chatId, "intervene").then().statusCode(200);
        GraphStub.script("+" + from, Fault.SERVER_ERROR, Fault.TOO_MANY_REQUESTS, Fault.THROUGHPUT, Fault.TIMEOUT, Fault.SERVER_ERROR);
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seqs.add(((Number) Api.reply(api.owner, chatId, "reply " + i).then().statusCode(201).extract().path("seq")).longValue());
        }
        for (long seq : seqs) {
            await().atMost(WAIT).until(() -> "SENT".equals(delivery(api.owner, chatId, seq)));
            assertEquals(1, GraphStub.acceptedCount(chatId + ":" + seq), "sent exactly once: seq " + seq);
        }
        assertEquals(3 + 5, GraphStub.requestsFor("+" + from), "three sends, five refused attempts");
    }

    @Test
    void shouldFailAtOnceWhenMetaRefusesForGood() {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        String from = customer();
        String chatId = wa.customerWrites(api.owner, from, "Meera", "Hi");
        Api.act(api.owner, chatId, "intervene").then().statusCode(200);
        GraphStub.script("+" + from, Fault.REENGAGEMENT);
        long seq = ((Number) Api.reply(api.owner, chatId, "Are you there?").then().statusCode(201).extract().path("seq")).longValue();
        await().atMost(WAIT).until(() -> "FAILED".equals(delivery(api.owner, chatId, seq)));
        Map<String, Object> entry = entry(api.owner, chatId, seq);
        Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) entry.get("delivery")).get("error");
        assertEquals(131047, error.get("code"));
        assertEquals("(#131047) Re-engagement message", error.get("title"));
        assertTrue(((String) error.get("detail")).contains("24 hours"));
        assertEquals(1, GraphStub.requestsFor("+" + from), "a permanent failure is not retried");
        assertEquals(0, GraphStub.acceptedCount(chatId + ":" + seq));

        // The dead-letter list shows it with Meta's reason; an owner replays it once the customer can be reached.
        String sends = "/api/v1/channels/" + wa.channelId + "/sends";
        List<Map<String, Object>> failed = api.owner.as().get(sends + "?status=FAILED").then().statusCode(200).extract().jsonPath().getList("");
        assertEquals(1, failed.size());
        assertEquals(chatId, failed.get(0).get("chatId"));
        assertEquals(131047, ((Map<?, ?>) failed.get(0).get("lastError")).get("code"));
        Staff agent = api.createAgent("sendsreader", "AGENT");
        expectProblem(agent.as().get(sends), 403, "forbidden");
        expectProblem(agent.as().post(sends + "/" + chatId + "/" + seq + "/replay"), 403, "forbidden");
        expectProblem(api.owner.as().get(sends + "?status=LOST"), 400, "validation-failed");
        expectProblem(api.owner.as().post(sends + "/" + chatId + "/" + (seq + 100) + "/replay"), 404, "send-not-found");
        assertEquals(List.of(), api.owner.as().get(sends + "?status=PENDING").then().statusCode(200).extract().jsonPath().getList(""),
                "refused calls changed nothing");

        api.owner.as().post(sends + "/" + chatId + "/" + seq + "/replay").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("PENDING")).body("attempts", org.hamcrest.Matchers.equalTo(0));
        await().atMost(WAIT).until(() -> "SENT".equals(delivery(api.owner, chatId, seq)));
        assertEquals(1, GraphStub.acceptedCount(chatId + ":" + seq), "the replay sent it once");
        assertNull(((Map<?, ?>) entry(api.owner, chatId, seq).get("delivery")).get("error"), "the old failure is gone");
        expectProblem(api.owner.as().post(sends + "/" + chatId + "/" + seq + "/replay"), 409, "send-not-failed");
    }

    @Test
    void shouldReconcileALostAnswerThroughTheStatusWebhookWithoutSendingAgain() {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        String from = customer();
        String chatId = wa.customerWrites(api.owner, from, "Iqbal", "Hi");
        Api.act(api.owner, chatId, "intervene").then().statusCode(200);
        GraphStub.script("+" + from, Fault.LOST_ANSWER);
        long seq = ((Number) Api.reply(api.owner, chatId, "On its way").then().statusCode(201).extract().path("seq")).longValue();
        Accepted accepted = await().atMost(WAIT).until(() -> GraphStub.acceptedFor("+" + from), list -> list.size() == 1).get(0);
        // Meta's status (the stub posts it, as Meta does) carries our callback data: the only link to a send whose answer never came.
        await().atMost(WAIT).until(() -> "SENT".equals(delivery(api.owner, chatId, seq)));
        wa.post(wa.webhook(wa.statuses(WhatsApp.status(accepted.wamid(), "delivered", null))));
        await().atMost(WAIT).until(() -> "DELIVERED".equals(delivery(api.owner, chatId, seq)));
        // Past the reconcile wait (PT5S in tests) the job is settled: it is never sent again.
        await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(9)).until(() -> GraphStub.requestsFor("+" + from) == 1);
    }

    @Test
    void shouldNeverSendAnEntryTwiceWithConcurrentClaimersAndKeepThePace() {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        int chats = 4;
        int perChat = Integer.getInteger("baton.stress.whatsapp-replies", 15);
        List<String> chatIds = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        for (int c = 0; c < chats; c++) {
            String from = customer();
            String chatId = wa.customerWrites(api.owner, from, "Customer " + c, "Hi");
            Api.act(api.owner, chatId, "intervene").then().statusCode(200);
            chatIds.add(chatId);
            phones.add("+" + from);
        }
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int c = 0; c < chats; c++) {
            String chatId = chatIds.get(c);
            for (int i = 0; i < perChat; i++) {
                int n = i;
                calls.add(() -> Api.reply(api.owner, chatId, "reply " + n).statusCode());
                if (n % 3 == 0) {
                    // An extra claimer racing the instance's own; on a starved machine it may find no free
                    // connection in time, which claims nothing (what matters is what the stub counts).
                    calls.add(() -> sender.sendDue().onFailure().recoverWithItem(0).await().atMost(Duration.ofSeconds(60)));
                }
            }
        }
        Api.inParallel(calls);
        List<Accepted> all = new ArrayList<>();
        for (int c = 0; c < chats; c++) {
            String chatId = chatIds.get(c);
            String phone = phones.get(c);
            await().atMost(WAIT).until(() -> GraphStub.acceptedFor(phone).size() >= perChat);
            for (Map<String, Object> e : Api.timeline(api.owner, chatId)) {
                if ("OUTBOUND".equals(e.get("kind"))) {
                    long seq = ((Number) e.get("seq")).longValue();
                    await().atMost(WAIT).until(() -> "SENT".equals(delivery(api.owner, chatId, seq)));
                    assertEquals(1, GraphStub.acceptedCount(chatId + ":" + seq), "exactly once: " + chatId + ":" + seq);
                }
            }
            assertEquals(perChat, GraphStub.acceptedFor(phone).size());
            all.addAll(GraphStub.acceptedFor(phone));
        }
        // One phone number, one pace (80/s by default) however many claimers: n sends span at least (n - 1) / 80 s.
        long first = all.stream().mapToLong(Accepted::atNanos).min().orElseThrow();
        long last = all.stream().mapToLong(Accepted::atNanos).max().orElseThrow();
        double seconds = (last - first) / 1e9;
        double floor = (all.size() - 1) / 80.0;
        System.out.printf("whatsapp pacing: %d sends by concurrent claimers in %.3f s (%.1f/s; configured 80/s, floor %.3f s)%n",
                all.size(), seconds, all.size() / seconds, floor);
        assertTrue(seconds >= floor * 0.95, "paced at most 80/s: " + seconds + " s for " + all.size());
    }

    @Test
    void shouldRefuseFreeTextAfterTheWindowAndSendTemplates() {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        String from = customer();
        long dayAndAHourAgo = Instant.now().minus(Duration.ofHours(25)).getEpochSecond();
        wa.post(wa.webhook(wa.messages(from, "Late", WhatsApp.message(from, "text", new JsonObject().put("body", "yesterday"),
                dayAndAHourAgo))));
        String chatId = await().atMost(WAIT).until(() -> WhatsApp.chatOf(api.owner, "+" + from), java.util.Objects::nonNull);
        Api.act(api.owner, chatId, "intervene").then().statusCode(200);
        int before = Api.timeline(api.owner, chatId).size();

        Api.expectProblem(Api.reply(api.owner, chatId, "Sorry for the delay"), 409, "window-closed");
        assertEquals(before, Api.timeline(api.owner, chatId).size(), "nothing written");

        Map<String, Object> template = Map.of("name", "order_update", "language", "en_US", "components",
                List.of(Map.of("type", "body", "parameters", List.of(Map.of("type", "text", "text", "#4521")))));
        Response sent = api.owner.as().body(Map.of("template", template, "clientMessageId", "tpl-1"))
                .post("/api/v1/chats/" + chatId + "/messages");
        sent.then().statusCode(201);
        assertEquals("order_update", sent.path("template.name"));
        assertNull(sent.path("text"));
        JsonObject body = await().atMost(WAIT).until(() -> GraphStub.acceptedFor("+" + from), list -> list.size() == 1).get(0).body();
        assertEquals("template", body.getString("type"));
        assertEquals("order_update", body.getJsonObject("template").getString("name"));
        assertEquals(new JsonObject().put("policy", "deterministic").put("code", "en_US"), body.getJsonObject("template").getJsonObject("language"));
        assertEquals("#4521", body.getJsonObject("template").getJsonArray("components").getJsonObject(0).getJsonArray("parameters")
                .getJsonObject(0).getString("text"));

        // A fresh customer message reopens the window for free text.
        wa.post(wa.webhook(wa.messages(from, "Late", WhatsApp.text(from, "still there?"))));
        await().atMost(WAIT).until(() -> Api.reply(api.owner, chatId, "Yes!").statusCode() == 201);
        // Templates need a WhatsApp chat.
        String plain = api.chatHeldBy(api.owner);
        Api.expectProblem(api.owner.as().body(Map.of("template", template)).post("/api/v1/chats/" + plain + "/messages"), 400,
                "validation-failed");
    }

    private static String customer() {
        return "9198" + String.format("%08d", (long) (Math.random() * 100_000_000));
    }

    private static String delivery(Staff who, String chatId, long seq) {
        Map<String, Object> entry = entry(who, chatId, seq);
        return entry == null || entry.get("delivery") == null ? null : (String) ((Map<?, ?>) entry.get("delivery")).get("status");
    }

    private static Map<String, Object> entry(Staff who, String chatId, long seq) {
        return Api.timeline(who, chatId).stream().filter(e -> ((Number) e.get("seq")).longValue() == seq).findFirst().orElse(null);
    }
}
