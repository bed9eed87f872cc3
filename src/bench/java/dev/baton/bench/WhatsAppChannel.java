package dev.baton.bench;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The whatsapp workload's two ends of Meta: a WHATSAPP_CLOUD channel created through the API, whose
 * webhook receives Meta-shaped message notifications signed with the app secret
 * ({@code X-Hub-Signature-256: sha256=HMAC-SHA256(body)}), and a stub Graph API on loopback that
 * answers {@code POST /{version}/{phone-number-id}/messages} as Meta does (200 with a wamid) and
 * notes when each reply arrived.
 */
final class WhatsAppChannel {

    static final String PHONE_NUMBER_ID = "106540352242922";
    private static final String APP_SECRET = "bench-app-secret";

    final String channelId;
    private final String webhookPath;
    private final Mac mac;

    private WhatsAppChannel(String channelId, String webhookPath) throws Exception {
        this.channelId = channelId;
        this.webhookPath = webhookPath;
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }

    /** {@code POST /api/v1/channels} as the owner. */
    static WhatsAppChannel create(int port, String ownerToken) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://" + Env.HOST + ":" + port + "/api/v1/channels"))
                .header("Authorization", "Bearer " + ownerToken).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("type", "WHATSAPP_CLOUD").put("name", "bench")
                        .put("phoneNumberId", PHONE_NUMBER_ID).put("accessToken", "EAAG-bench-token").put("appSecret", APP_SECRET).encode()))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("channel creation: " + r.statusCode() + " " + r.body());
        }
        JsonObject channel = new JsonObject(r.body());
        return new WhatsAppChannel(channel.getString("id"), channel.getString("webhookPath"));
    }

    /** One text message from the customer with this phone, as Meta notifies it; the webhook's status. */
    Future<Integer> post(HttpClient http, String phone, String text) {
        String from = phone.startsWith("+") ? phone.substring(1) : phone;
        JsonObject message = new JsonObject().put("from", from).put("id", "wamid.HBgL" + UUID.randomUUID().toString().replace("-", "").toUpperCase() + "=")
                .put("timestamp", Long.toString(System.currentTimeMillis() / 1000)).put("type", "text")
                .put("text", new JsonObject().put("body", text));
        JsonObject value = new JsonObject().put("messaging_product", "whatsapp")
                .put("metadata", new JsonObject().put("display_phone_number", "15550783881").put("phone_number_id", PHONE_NUMBER_ID))
                .put("contacts", new JsonArray().add(new JsonObject().put("profile", new JsonObject().put("name", "Customer " + from)).put("wa_id", from)))
                .put("messages", new JsonArray().add(message));
        byte[] body = new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray().add(new JsonObject()
                .put("id", "102290129340398").put("changes", new JsonArray().add(new JsonObject().put("field", "messages").put("value", value)))))
                .encode().getBytes(StandardCharsets.UTF_8);
        String signature = "sha256=" + HexFormat.of().formatHex(sign(body));
        return http.request(HttpMethod.POST, webhookPath).compose(req -> req.putHeader("Content-Type", "application/json")
                .putHeader("X-Hub-Signature-256", signature).send(Buffer.buffer(body))
                .compose(resp -> resp.body().map(b -> resp.statusCode())));
    }

    private synchronized byte[] sign(byte[] body) {
        return mac.doFinal(body);
    }

    /** The stub Graph API: every send is answered 200 with a fresh wamid; arrival times by the reply's text. */
    static final class GraphStub {
        final HttpServer server;
        final Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
        final AtomicInteger requests = new AtomicInteger();

        private GraphStub(HttpServer server) {
            this.server = server;
        }

        static GraphStub start(Vertx vertx) throws Exception {
            GraphStub[] stub = new GraphStub[1];
            HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
                long now = System.nanoTime();
                JsonObject send = body.toJsonObject();
                stub[0].requests.incrementAndGet();
                String text = send.getJsonObject("text", new JsonObject()).getString("body", "");
                stub[0].arrivedAt.putIfAbsent(text, now);
                req.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("messaging_product", "whatsapp")
                        .put("contacts", new JsonArray().add(new JsonObject().put("input", send.getString("to")).put("wa_id", send.getString("to"))))
                        .put("messages", new JsonArray().add(new JsonObject().put("id", "wamid.HBgL" + UUID.randomUUID().toString().replace("-", ""))))
                        .encode());
            }));
            stub[0] = new GraphStub(server);
            Env.await(server.listen(0, Env.HOST));
            return stub[0];
        }

        String url() {
            return "http://" + Env.HOST + ":" + server.actualPort();
        }
    }
}
