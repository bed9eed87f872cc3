package dev.baton.support;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Test fixture: a fresh workspace per test, and the REST calls the stories need. */
public final class Api {

    public static final String DEFAULT_PASSWORD = "correct horse battery";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    public final String workspaceId;
    public final String slug;
    public final Staff owner;
    private String channelToken;

    /** One staff member: id, username and a bearer token. */
    public record Staff(String id, String username, String token) {
        public RequestSpecification as() {
            return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
        }
    }

    private Api(String workspaceId, String slug, Staff owner) {
        this.workspaceId = workspaceId;
        this.slug = slug;
        this.owner = owner;
    }

    public static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36) + SEQUENCE.incrementAndGet();
    }

    public static Api signUp() {
        String slug = unique("ws");
        Response r = given().contentType(ContentType.JSON)
                .body(Map.of("name", "Acme " + slug, "slug", slug,
                        "owner", Map.of("username", "owner", "displayName", "The Owner", "password", DEFAULT_PASSWORD)))
                .post("/api/v1/workspaces");
        r.then().statusCode(201);
        Staff owner = new Staff(r.path("owner.id"), "owner", r.path("token.accessToken"));
        return new Api(r.path("workspace.id"), slug, owner);
    }

    public Staff createAgent(String username, String role) {
        return createAgent(owner, username, role);
    }

    public Staff createAgent(Staff creator, String username, String role) {
        creator.as().body(Map.of("username", username, "displayName", username + " Display", "password", DEFAULT_PASSWORD,
                "role", role)).post("/api/v1/agents").then().statusCode(201);
        return login(username);
    }

    public Staff login(String username) {
        Response r = given().contentType(ContentType.JSON)
                .body(Map.of("workspace", slug, "username", username, "password", DEFAULT_PASSWORD))
                .post("/api/v1/auth/login");
        r.then().statusCode(200);
        return new Staff(r.path("agent.id"), username, r.path("accessToken"));
    }

    public String channelToken() {
        if (channelToken == null) {
            channelToken = owner.as().body(Map.of("name", "whatsapp")).post("/api/v1/channel-tokens")
                    .then().statusCode(201).extract().path("token");
        }
        return channelToken;
    }

    public Response inbound(String phone, String text, boolean handoff) {
        return inbound(UUID.randomUUID().toString(), phone, text, handoff);
    }

    public Response inbound(String externalId, String phone, String text, boolean handoff) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + channelToken())
                .body(Map.of("externalId", externalId, "customer", Map.of("phone", phone, "name", "Customer " + phone),
                        "text", text, "handoff", handoff))
                .post("/api/v1/inbound/messages");
    }

    /** A new customer chat with one inbound message; returns the chat id. */
    public String newChat(boolean handoff) {
        return inbound(randomPhone(), "Hello, I need help", handoff).then().statusCode(201).extract().path("chatId");
    }

    public static String randomPhone() {
        return "+1555" + String.format("%07d", (long) (Math.random() * 10_000_000));
    }

    public static Response act(Staff who, String chatId, String action) {
        return who.as().post("/api/v1/chats/" + chatId + "/" + action);
    }

    public static Response transfer(Staff who, String chatId, String toAgentId) {
        return who.as().body(Map.of("toAgentId", toAgentId, "note", "over to you")).post("/api/v1/chats/" + chatId + "/transfer");
    }

    public static Response reply(Staff who, String chatId, String text) {
        return who.as().body(Map.of("text", text)).post("/api/v1/chats/" + chatId + "/messages");
    }
}
