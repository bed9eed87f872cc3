package dev.baton.whatsapp;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.RawResponse;
import dev.baton.support.Api.Staff;
import dev.baton.support.GraphStub;
import dev.baton.support.WhatsApp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** The WhatsApp Cloud API channel: channels, the signed webhook, every message type in, statuses. */
@QuarkusTest
@QuarkusTestResource(GraphStub.class)
class WhatsAppChannelTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    Pool pool;

    @Test
    void shouldManageChannelsWithWriteOnlySecrets() {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        assertEquals("/api/v1/webhooks/whatsapp/" + wa.channelId, wa.webhookPath);
        api.owner.as().get("/api/v1/channels/" + wa.channelId).then().statusCode(200)
                .body("type", equalTo("WHATSAPP_CLOUD")).body("phoneNumberId", equalTo(wa.phoneNumberId))
                .body("verifyToken", equalTo(wa.verifyToken)).body("graphApiVersion", equalTo("v25.0"))
                .body("$", not(hasKey("accessToken"))).body("$", not(hasKey("appSecret")));
        api.owner.as().get("/api/v1/channels").then().statusCode(200).body("size()", equalTo(1));
        api.owner.as().body(Map.of("name", "Sales line", "accessToken", "EAAG-rotated", "active", false))
                .patch("/api/v1/channels/" + wa.channelId).then().statusCode(200)
                .body("name", equalTo("Sales line")).body("active", equalTo(false)).body("$", not(hasKey("accessToken")));

        byte[] stored = pool.preparedQuery("select access_token from channel where id = $1").execute(Tuple.of(UUID.fromString(wa.channelId)))
                .await().indefinitely().iterator().next().getBuffer(0).getBytes();
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("EAAG"), "secrets are stored encrypted");

        Staff manager = api.createAgent("manager1", "MANAGER");
        Api.expectProblem(manager.as().get("/api/v1/channels"), 403, "forbidden");
        Api.expectProblem(Api.signUp().owner.as().get("/api/v1/channels/" + wa.channelId), 404, "channel-not-found");
        Api.expectProblem(api.owner.as().body(Map.of("type", "WHATSAPP_CLOUD", "name", "x", "phoneNumberId", "12ab",
                "accessToken", "t", "appSecret", "s")).post("/api/v1/channels"), 400, "validation-failed");
    }

    @Test
    void shouldAnswerMetasVerificationOnlyWithTheRightToken() {
        WhatsApp wa = WhatsApp.connect(Api.signUp());
        String query = "?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=";
        RawResponse ok = Api.raw("GET", wa.webhookPath + query + wa.verifyToken, null, null, false);
        assertEquals(200, ok.status());
        assertTrue(ok.contentType().startsWith("text/plain"));
        assertEquals("1158201444", ok.body());
        assertEquals(403, Api.raw("GET", wa.webhookPath + query + "wrong", null, null, false).status());
        assertEquals(403, Api.raw("GET", wa.webhookPath + "?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=" + wa.verifyToken,
                null, null, false).status());
    }

    @Test
    void shouldRefuseBadOrMissingSignaturesAndStoreNothing() {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        String body = wa.webhook(wa.messages("16505551234", "Sheena", WhatsApp.text("16505551234", "forged")));
        for (String signature : new String[] { null, "sha256=" + "0".repeat(64), "sha1=abc",
                dev.baton.whatsapp.WebhookSignature.sign(body.getBytes(StandardCharsets.UTF_8), "another-secret") }) {
            RawResponse refused = wa.post(body, signature);
            assertEquals(401, refused.status(), "signature " + signature);
            assertEquals("invalid-signature", refused.code());
        }
        assertEquals(0L, receipts(wa));
        api.owner.as().get("/api/v1/chats").then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void shouldAcceptBodiesUpToThreeMegabytesOnTheWebhookOnly() {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        String big = wa.webhook(wa.messages("16505551234", "Sheena", WhatsApp.text("16505551234", "x".repeat(2_000_000))));
        assertEquals(200, wa.post(big).status());
        String tooBig = wa.webhook(wa.messages("16505551234", "Sheena", WhatsApp.text("16505551234", "x".repeat(3_200_000))));
        RawResponse refused = wa.post(tooBig);
        assertEquals(413, refused.status());
        assertEquals("payload-too-large", refused.code());
        Api.expectProblem(api.owner.as().body(Map.of("text", "x".repeat(70_000))).post("/api/v1/chats/" + UUID.randomUUID() + "/notes"),
                413, "payload-too-large");
    }

    @Test
    void shouldPutEveryMessageTypeInTheTimeline() {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        String from = "919876543210";
        long ts = Instant.now().minusSeconds(60).getEpochSecond();
        JsonObject text = WhatsApp.message(from, "text", new JsonObject().put("body", "Does it come in another color?"), ts);
        String repliedTo = WhatsApp.wamid();
        List<JsonObject> all = List.of(text,
                WhatsApp.message(from, "image", new JsonObject().put("caption", "this one").put("mime_type", "image/jpeg")
                        .put("sha256", "abc").put("id", "1003383421387256")),
                WhatsApp.message(from, "audio", new JsonObject().put("mime_type", "audio/ogg; codecs=opus").put("id", "2001")),
                WhatsApp.message(from, "video", new JsonObject().put("mime_type", "video/mp4").put("id", "2002")),
                WhatsApp.message(from, "document", new JsonObject().put("mime_type", "application/pdf").put("id", "2003")
                        .put("filename", "invoice.pdf").put("caption", "my invoice")),
                WhatsApp.message(from, "sticker", new JsonObject().put("mime_type", "image/webp").put("id", "2004").put("animated", false)),
                WhatsApp.message(from, "location", new JsonObject().put("latitude", 28.6139).put("longitude", 77.209)
                        .put("name", "India Gate").put("address", "Rajpath, New Delhi")),
                WhatsApp.message(from, "contacts", null).put("contacts", new JsonArray().add(new JsonObject()
                        .put("name", new JsonObject().put("formatted_name", "Asha K").put("first_name", "Asha"))
                        .put("phones", new JsonArray().add(new JsonObject().put("phone", "+91 98765 00000").put("type", "CELL"))))),
                WhatsApp.message(from, "reaction", new JsonObject().put("message_id", repliedTo).put("emoji", "\uD83D\uDC4D")),
                WhatsApp.message(from, "interactive", new JsonObject().put("type", "button_reply")
                        .put("button_reply", new JsonObject().put("id", "yes-1").put("title", "Yes"))).put("context",
                                new JsonObject().put("from", "15550783881").put("id", repliedTo)),
                WhatsApp.message(from, "interactive", new JsonObject().put("type", "list_reply")
                        .put("list_reply", new JsonObject().put("id", "red").put("title", "Red").put("description", "Crimson"))),
                WhatsApp.message(from, "button", new JsonObject().put("payload", "TRACK_ORDER").put("text", "Track my order")),
                WhatsApp.message(from, "order", new JsonObject().put("catalog_id", "1")),
                WhatsApp.message(from, "unsupported", null));
        assertEquals(200, wa.post(wa.webhook(wa.messages(from, "Asha", all.toArray(JsonObject[]::new)))).status());

        String chatId = await().atMost(WAIT).until(() -> chatOf(api, "+" + from), java.util.Objects::nonNull);
        await().atMost(WAIT).until(() -> Api.timeline(api.owner, chatId).stream().filter(e -> "INBOUND".equals(e.get("kind"))).count()
                == all.size());
        List<Map<String, Object>> entries = Api.timeline(api.owner, chatId).stream().filter(e -> "INBOUND".equals(e.get("kind"))).toList();
        Map<String, Map<String, Object>> byWamid = new java.util.HashMap<>();
        entries.forEach(e -> byWamid.put((String) e.get("externalId"), e));
        Map<String, Object> t = byWamid.get(text.getString("id"));
        assertEquals("Does it come in another color?", t.get("text"));
        assertEquals(OffsetDateTime.ofInstant(Instant.ofEpochSecond(ts), java.time.ZoneOffset.UTC).toInstant(),
                OffsetDateTime.parse((String) t.get("at")).toInstant(), "the entry's time is Meta's timestamp");
        Map<String, Object> image = byWamid.get(all.get(1).getString("id"));
        assertEquals("this one", image.get("text"));
        assertEquals(Map.of("type", "image", "id", "1003383421387256", "mimeType", "image/jpeg"), image.get("media"));
        assertEquals("invoice.pdf", ((Map<?, ?>) byWamid.get(all.get(4).getString("id")).get("media")).get("filename"));
        for (int i = 2; i <= 5; i++) {
            assertEquals(all.get(i).getString("type"), ((Map<?, ?>) byWamid.get(all.get(i).getString("id")).get("media")).get("type"));
        }
        assertEquals("India Gate", ((Map<?, ?>) byWamid.get(all.get(6).getString("id")).get("location")).get("name"));
        assertEquals(1, ((List<?>) byWamid.get(all.get(7).getString("id")).get("contacts")).size());
        assertEquals(repliedTo, ((Map<?, ?>) byWamid.get(all.get(8).getString("id")).get("reaction")).get("message_id"));
        Map<String, Object> button = byWamid.get(all.get(9).getString("id"));
        assertEquals("Yes", button.get("text"));
        assertEquals(Map.of("id", "yes-1", "title", "Yes"), button.get("reply"));
        assertEquals(repliedTo, button.get("replyTo"));
        assertEquals(Map.of("id", "red", "title", "Red"), byWamid.get(all.get(10).getString("id")).get("reply"));
        assertEquals(Map.of("id", "TRACK_ORDER", "title", "Track my order"), byWamid.get(all.get(11).getString("id")).get("reply"));
        assertEquals("order", byWamid.get(all.get(12).getString("id")).get("unsupported"));
        assertEquals("unsupported", byWamid.get(all.get(13).getString("id")).get("unsupported"));

        Api.chat(api.owner, chatId).then().statusCode(200).body("customer.name", equalTo("Asha"))
                .body("customer.phone", equalTo("+" + from)).body("channelId", equalTo(wa.channelId))
                .body("status", equalTo("REQUESTING"));
        OffsetDateTime window = OffsetDateTime.parse(Api.chat(api.owner, chatId).path("windowExpiresAt"));
        assertTrue(window.toInstant().isAfter(Instant.ofEpochSecond(ts).plus(Duration.ofHours(23))), "window from Meta's timestamp");
    }

    @Test
    void shouldProcessEveryEntryAndChangeOfABatch() {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        List<String> customers = List.of("14155550101", "14155550102", "14155550103", "14155550104");
        JsonArray entries = new JsonArray();
        for (int e = 0; e < 2; e++) {
            JsonArray changes = new JsonArray();
            for (int c = 0; c < 2; c++) {
                String from = customers.get(e * 2 + c);
                changes.add(new JsonObject().put("field", "messages").put("value",
                        wa.messages(from, "Customer " + from, WhatsApp.text(from, "first"), WhatsApp.text(from, "second"))));
            }
            entries.add(new JsonObject().put("id", "WABA" + e).put("changes", changes));
        }
        String body = new JsonObject().put("object", "whatsapp_business_account").put("entry", entries).encode();
        assertEquals(200, wa.post(body).status());
        for (String from : customers) {
            String chatId = await().atMost(WAIT).until(() -> chatOf(api, "+" + from), java.util.Objects::nonNull);
            await().atMost(WAIT).until(() -> Api.timeline(api.owner, chatId).stream()
                    .filter(e -> "INBOUND".equals(e.get("kind"))).map(e -> e.get("text")).toList().equals(List.of("first", "second")));
        }
    }

    @Test
    void shouldCreateOneEntryWhenTheSameWebhookArrivesTwiceConcurrently() {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        int rounds = Integer.getInteger("baton.stress.webhook-duplicates", 5);
        for (int round = 0; round < rounds; round++) {
            String from = "1415555" + String.format("%04d", round);
            String body = wa.webhook(wa.messages(from, "Twin", WhatsApp.text(from, "only once")));
            List<Callable<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                posts.add(() -> wa.post(body).status());
            }
            assertTrue(Api.inParallel(posts).stream().allMatch(s -> s == 200));
            String chatId = await().atMost(WAIT).until(() -> chatOf(api, "+" + from), java.util.Objects::nonNull);
            await().atMost(WAIT).until(() -> receiptsPending(wa) == 0);
            assertEquals(1, Api.timeline(api.owner, chatId).stream().filter(e -> "INBOUND".equals(e.get("kind"))).count());
        }
    }

    @Test
    void shouldKeyCustomersByBusinessScopedUserId() {
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        JsonObject withheld = WhatsApp.text("", "my number is hidden").put("from_user_id", "IN.1410018717833190");
        withheld.remove("from");
        JsonObject value = wa.messages("", "Hidden", withheld);
        value.getJsonArray("contacts").getJsonObject(0).put("user_id", "IN.1410018717833190").remove("wa_id");
        assertEquals(200, wa.post(wa.webhook(value)).status());
        await().atMost(WAIT).until(() -> api.owner.as().get("/api/v1/chats").path("items.size()").equals(1));
        api.owner.as().get("/api/v1/chats").then().body("items[0].customer.name", equalTo("Hidden"))
                .body("items[0].customer.phone", equalTo(null));
    }

    private long receipts(WhatsApp wa) {
        return pool.preparedQuery("select count(*) from whatsapp_receipt where channel_id = $1").execute(Tuple.of(UUID.fromString(wa.channelId)))
                .await().indefinitely().iterator().next().getLong(0);
    }

    private long receiptsPending(WhatsApp wa) {
        return pool.preparedQuery("select count(*) from whatsapp_receipt where channel_id = $1 and processed_at is null")
                .execute(Tuple.of(UUID.fromString(wa.channelId))).await().indefinitely().iterator().next().getLong(0);
    }

    private static String chatOf(Api api, String phone) {
        return WhatsApp.chatOf(api.owner, phone);
    }
}
