package dev.baton.reliability;

import static dev.baton.support.Api.act;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * Bodies as real clients send them: none at all ({@code curl -X POST}), a non-JSON type, and enum
 * values that are almost a name.
 */
@QuarkusTest
class RequestBodyTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Answer(int status, String contentType, String body) {
        String code() {
            return new JsonObject(body).getString("code");
        }
    }

    @Test
    void shouldRunEveryActionWithAnOptionalBodyWhenNoBodyAndNoContentTypeIsSent() throws Exception {
        Api api = Api.signUp();
        Staff agent = api.createAgent("bodyless", "AGENT");
        String chat = api.newChat(true);
        // java.net.http sends "Content-Length: 0"; curl -X POST sends no length at all: both are "no body".
        assertEquals(200, noBody(agent.token(), chat, "intervene").status());
        assertEquals(200, curlPost(api.owner.token(), chat, "takeover").status());
        assertEquals(200, noBody(api.owner.token(), chat, "release").status());
        assertEquals(200, curlPost(api.owner.token(), chat, "resolve").status());
        assertEquals(200, noBody(api.owner.token(), chat, "reopen").status());
        assertEquals(200, curlPost(agent.token(), chat, "intervene").status());
        assertEquals(200, noBody(agent.token(), chat, "resolve").status());

        // transfer cannot do without its toAgentId: a 400 that says so, not a 415.
        for (Answer refused : List.of(noBody(api.owner.token(), chat, "transfer"), curlPost(api.owner.token(), chat, "transfer"))) {
            assertEquals(400, refused.status(), refused.body());
            assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
            assertEquals("validation-failed", refused.code());
        }
        List<Map<String, Object>> ledger = Api.custody(api.owner, chat);
        assertEquals(List.of("HANDOFF", "INTERVENE", "TAKEOVER", "RELEASE", "RESOLVE", "REOPEN", "INTERVENE", "RESOLVE"),
                ledger.stream().map(e -> ((Map<?, ?>) e.get("custody")).get("action")).toList());
    }

    @Test
    void shouldRefuseEveryBodyThatIsNotJsonWith415AndWriteNothing() throws Exception {
        Api api = Api.signUp();
        Staff agent = api.createAgent("typed", "AGENT");
        String chat = api.chatHeldBy(agent);
        String owner = api.owner.token();
        String channel = api.channelToken();
        int entriesBefore = Api.timeline(api.owner, chat).size();
        Map<String, Object> note = Map.of("text", "a private note");
        List<Object[]> endpoints = List.of(
                new Object[] { "POST", "/api/v1/chats/" + chat + "/notes", owner, note },
                new Object[] { "POST", "/api/v1/chats/" + chat + "/messages", agent.token(), Map.of("text", "hello") },
                new Object[] { "POST", "/api/v1/chats/" + chat + "/takeover", owner, Map.of("note", "mine") },
                new Object[] { "POST", "/api/v1/chats/" + chat + "/release", owner, Map.of("note", "off") },
                new Object[] { "POST", "/api/v1/chats/" + chat + "/resolve", owner, Map.of("note", "done") },
                new Object[] { "POST", "/api/v1/chats/" + chat + "/transfer", owner, Map.of("toAgentId", api.owner.id()) },
                new Object[] { "POST", "/api/v1/chats/" + chat + "/intervene", owner, Map.of() },
                new Object[] { "POST", "/api/v1/agents", owner,
                        Map.of("username", "sneaky", "displayName", "Sneaky", "password", Api.DEFAULT_PASSWORD, "role", "AGENT") },
                new Object[] { "PATCH", "/api/v1/agents/" + agent.id(), owner, Map.of("displayName", "Renamed") },
                new Object[] { "PUT", "/api/v1/agents/me/availability", agent.token(), Map.of("availability", "BUSY") },
                new Object[] { "POST", "/api/v1/channel-tokens", owner, Map.of("name", "sneaky") },
                new Object[] { "POST", "/api/v1/inbound/messages", channel,
                        Map.of("externalId", "x-1", "customer", Map.of("phone", "+15550001111"), "text", "hi") },
                new Object[] { "POST", "/api/v1/auth/login", null,
                        Map.of("workspace", api.slug, "username", "owner", "password", Api.DEFAULT_PASSWORD) },
                new Object[] { "POST", "/api/v1/workspaces", null, Map.of("name", "Sneaky", "slug", Api.unique("sneaky"),
                        "owner", Map.of("username", "owner", "displayName", "O", "password", Api.DEFAULT_PASSWORD)) });
        for (Object[] e : endpoints) {
            byte[] json = new JsonObject((Map<String, Object>) e[3]).encode().getBytes(StandardCharsets.UTF_8);
            for (String type : new String[] { "text/plain", "application/x-www-form-urlencoded", "text/plain; charset=utf-8", null }) {
                Answer answer = send((String) e[0], (String) e[1], (String) e[2], type, json);
                assertEquals(415, answer.status(), e[0] + " " + e[1] + " as " + type + ": " + answer.body());
                assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType());
                assertEquals("unsupported-media-type", answer.code());
            }
        }
        assertEquals(entriesBefore, Api.timeline(api.owner, chat).size());
        Api.chat(api.owner, chat).then().statusCode(200).body("holder.id", org.hamcrest.Matchers.equalTo(agent.id()));
        List<Map<String, Object>> agents = api.owner.as().get("/api/v1/agents").then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(List.of("owner", "typed"), agents.stream().map(a -> a.get("username")).toList());
        assertEquals("typed Display", agents.get(1).get("displayName"));
        assertEquals("ONLINE", agents.get(1).get("availability"));
        // JSON with a charset or a +json subtype is still JSON.
        assertEquals(201, send("POST", "/api/v1/chats/" + chat + "/notes", owner, "application/json; charset=UTF-8",
                new JsonObject(note).encode().getBytes(StandardCharsets.UTF_8)).status());
        assertEquals(201, send("POST", "/api/v1/chats/" + chat + "/notes", owner, "application/merge-patch+json",
                new JsonObject(note).encode().getBytes(StandardCharsets.UTF_8)).status());
    }

    @Test
    void shouldAcceptAnEnumByItsExactNameOnly() throws Exception {
        Api api = Api.signUp();
        Staff agent = api.createAgent("exact", "AGENT");
        List<String> nearly = List.of("\"%s\\u0000\"", "\" %s\"", "\"%s \"", "\"\\t%s\"", "\"%s\\n\"", "\"lower:%s\"");
        List<String> others = List.of("1", "\"1\"", "\"\"", "\" \"", "true", "[\"BUSY\"]");
        for (String value : java.util.stream.Stream.concat(nearly.stream(), others.stream()).toList()) {
            String availability = value.replace("lower:", "").formatted(value.contains("lower:") ? "busy" : "BUSY");
            Answer answer = send("PUT", "/api/v1/agents/me/availability", agent.token(), "application/json",
                    ("{\"availability\":" + availability + "}").getBytes(StandardCharsets.UTF_8));
            assertEquals(400, answer.status(), availability + ": " + answer.body());
            assertEquals("validation-failed", answer.code(), availability);
            String role = value.replace("lower:", "").formatted(value.contains("lower:") ? "agent" : "AGENT");
            Answer created = send("POST", "/api/v1/agents", api.owner.token(), "application/json",
                    ("{\"username\":\"nearly\",\"displayName\":\"Nearly\",\"password\":\"" + Api.DEFAULT_PASSWORD
                            + "\",\"role\":" + role + "}").getBytes(StandardCharsets.UTF_8));
            assertEquals(400, created.status(), role + ": " + created.body());
            assertEquals("validation-failed", created.code(), role);
        }
        agent.as().get("/api/v1/agents/me").then().statusCode(200).body("availability", org.hamcrest.Matchers.equalTo("ONLINE"));
        assertEquals(2, api.owner.as().get("/api/v1/agents").then().extract().jsonPath().getList("$").size());
        assertEquals(200, send("PUT", "/api/v1/agents/me/availability", agent.token(), "application/json",
                "{\"availability\":\"BUSY\"}".getBytes(StandardCharsets.UTF_8)).status());
    }

    private static Answer noBody(String token, String chat, String action) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/api/v1/chats/" + chat + "/" + action))
                .header("Authorization", "Bearer " + token).POST(BodyPublishers.noBody()).build();
        var response = HTTP.send(request, BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    private static Answer send(String method, String path, String token, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .method(method, BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        var response = HTTP.send(request.build(), BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    /** Exactly the bytes {@code curl -X POST -H 'Authorization: …' URL} sends: no Content-Type, no Content-Length. */
    private static Answer curlPost(String token, String chat, String action) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/chats/" + chat + "/" + action + " HTTP/1.1\r\nHost: localhost:" + RestAssured.port
                    + "\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            String head = text.substring(0, text.indexOf("\r\n\r\n") + 2).toLowerCase();
            int typeAt = head.indexOf("\ncontent-type:");
            String type = typeAt < 0 ? "" : head.substring(typeAt + 14, head.indexOf('\r', typeAt + 1)).trim();
            String body = text.substring(text.indexOf("\r\n\r\n") + 4);
            if (head.contains("transfer-encoding: chunked")) {
                body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("\r\n0\r\n"));
            }
            return new Answer(status, type, body);
        }
    }
}
