package dev.baton.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.baton.support.Api.RawResponse;
import dev.baton.whatsapp.WebhookSignature;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Test fixture: a WhatsApp channel of a test workspace, and Meta's webhook payloads, signed as Meta signs them. */
public final class WhatsApp {

    public static final String APP_SECRET = "app-secret-for-tests";
    public static final String ACCESS_TOKEN = "EAAG-test-access-token";

    public final String channelId;
    public final String phoneNumberId;
    public final String verifyToken;
    public final String webhookPath;

    private WhatsApp(String channelId, String phoneNumberId, String verifyToken, String webhookPath) {
        this.channelId = channelId;
        this.phoneNumberId = phoneNumberId;
        this.verifyToken = verifyToken;
        this.webhookPath = webhookPath;
    }

    /** A new WHATSAPP_CLOUD channel in the workspace (as its owner); the Graph stub posts its statuses to it, as Meta would. */
    public static WhatsApp connect(Api api) {
        WhatsApp wa = create(api);
        GraphStub.webhook(wa.phoneNumberId, "http://localhost:" + io.restassured.RestAssured.port + wa.webhookPath, APP_SECRET);
        return wa;
    }

    private static WhatsApp create(Api api) {
        String phoneNumberId = Long.toString(100_000_000_000L + (long) (Math.random() * 899_999_999_999L));
        var created = api.owner.as().body(Map.of("type", "WHATSAPP_CLOUD", "name", "Support line", "phoneNumberId", phoneNumberId,
                "accessToken", ACCESS_TOKEN, "appSecret", APP_SECRET)).post("/api/v1/channels").then().statusCode(201).extract();
        return new WhatsApp(created.path("id"), phoneNumberId, created.path("verifyToken"), created.path("webhookPath"));
    }

    /** The customer writes one text message; returns the chat it lands in, once it is there. */
    public String customerWrites(Api.Staff reader, String from, String name, String text) {
        RawResponse answer = post(webhook(messages(from, name, text(from, text))));
        if (answer.status() != 200) {
            throw new AssertionError("webhook answered " + answer.status() + ": " + answer.body());
        }
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> chatOf(reader, "+" + from),
                java.util.Objects::nonNull);
    }

    /** The chat of the customer with this phone, as {@code reader} lists it, or null. */
    public static String chatOf(Api.Staff reader, String phone) {
        java.util.List<Map<String, Object>> items = reader.as().get("/api/v1/chats?limit=200").then().statusCode(200).extract().jsonPath()
                .getList("items");
        return items.stream().filter(c -> phone.equals(((Map<?, ?>) c.get("customer")).get("phone"))).map(c -> (String) c.get("id"))
                .findFirst().orElse(null);
    }

    /** POSTs the body signed with the app secret; returns the answer. */
    public RawResponse post(String body) {
        return post(body, WebhookSignature.sign(body.getBytes(StandardCharsets.UTF_8), APP_SECRET));
    }

    public RawResponse post(String body, String signature) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return signature == null ? Api.raw(io.restassured.RestAssured.port, "POST", webhookPath, null, bytes, false)
                : Api.raw(io.restassured.RestAssured.port, "POST", webhookPath, null, bytes, false, "X-Hub-Signature-256", signature);
    }

    /** {@code {object, entry:[{id, changes:[{field:"messages", value}]}]}} around one value. */
    public String webhook(JsonObject... values) {
        JsonArray changes = new JsonArray();
        for (JsonObject value : values) {
            changes.add(new JsonObject().put("field", "messages").put("value", value));
        }
        return new JsonObject().put("object", "whatsapp_business_account")
                .put("entry", new JsonArray().add(new JsonObject().put("id", "102290129340398").put("changes", changes))).encode();
    }

    /** A change value with messages from one customer ({@code from} without '+', as Meta sends it). */
    public JsonObject messages(String from, String name, JsonObject... messages) {
        JsonArray list = new JsonArray();
        for (JsonObject m : messages) {
            list.add(m);
        }
        return metadata().put("contacts", new JsonArray().add(new JsonObject().put("profile", new JsonObject().put("name", name))
                .put("wa_id", from))).put("messages", list);
    }

    public JsonObject statuses(JsonObject... statuses) {
        JsonArray list = new JsonArray();
        for (JsonObject s : statuses) {
            list.add(s);
        }
        return metadata().put("statuses", list);
    }

    private JsonObject metadata() {
        return new JsonObject().put("messaging_product", "whatsapp")
                .put("metadata", new JsonObject().put("display_phone_number", "15550783881").put("phone_number_id", phoneNumberId));
    }

    public static String wamid() {
        return "wamid.HBgL" + UUID.randomUUID().toString().replace("-", "").toUpperCase() + "=";
    }

    /** A message of any type: {@code {from, id, timestamp, type, <type>: payload}}. */
    public static JsonObject message(String from, String type, JsonObject payload) {
        return message(from, type, payload, Instant.now().getEpochSecond());
    }

    public static JsonObject message(String from, String type, JsonObject payload, long timestamp) {
        JsonObject m = new JsonObject().put("from", from).put("id", wamid()).put("timestamp", Long.toString(timestamp)).put("type", type);
        return payload == null ? m : m.put(type, payload);
    }

    public static JsonObject text(String from, String body) {
        return message(from, "text", new JsonObject().put("body", body));
    }

    /** A status of a message Baton sent: {@code {id, status, timestamp, recipient_id, biz_opaque_callback_data}}. */
    public static JsonObject status(String wamid, String status, String callbackData) {
        JsonObject s = new JsonObject().put("id", wamid).put("status", status).put("timestamp", Long.toString(Instant.now().getEpochSecond()))
                .put("recipient_id", "16505551234");
        if (callbackData != null) {
            s.put("biz_opaque_callback_data", callbackData);
        }
        return s;
    }
}
