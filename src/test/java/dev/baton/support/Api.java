package dev.baton.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
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
        JsonObject body = json(r);
        Staff owner = new Staff(body.getJsonObject("owner").getString("id"), "owner", body.getJsonObject("token").getString("accessToken"));
        return new Api(body.getJsonObject("workspace").getString("id"), slug, owner);
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
        JsonObject body = json(r);
        return new Staff(body.getJsonObject("agent").getString("id"), username, body.getString("accessToken"));
    }

    public String channelToken() {
        if (channelToken == null) {
            Response r = owner.as().body(Map.of("name", "whatsapp")).post("/api/v1/channel-tokens");
            r.then().statusCode(201);
            channelToken = json(r).getString("token");
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
        Response r = inbound(randomPhone(), "Hello, I need help", handoff);
        r.then().statusCode(201);
        return json(r).getString("chatId");
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

    public static Response transfer(Staff who, String chatId, String toAgentId, boolean force) {
        return who.as().body(Map.of("toAgentId", toAgentId, "force", force)).post("/api/v1/chats/" + chatId + "/transfer");
    }

    public static Response reply(Staff who, String chatId, String text, String clientMessageId) {
        return who.as().body(Map.of("text", text, "clientMessageId", clientMessageId)).post("/api/v1/chats/" + chatId + "/messages");
    }

    public static Response note(Staff who, String chatId, String text) {
        return who.as().body(Map.of("text", text)).post("/api/v1/chats/" + chatId + "/notes");
    }

    public static Response chat(Staff who, String chatId) {
        return who.as().get("/api/v1/chats/" + chatId);
    }

    /** The chat's whole timeline (up to 200 entries per page, all pages). */
    public static List<Map<String, Object>> timeline(Staff who, String chatId) {
        List<Map<String, Object>> all = new ArrayList<>();
        long after = 0;
        while (true) {
            Response page = who.as().get("/api/v1/chats/" + chatId + "/timeline?limit=200&after=" + after);
            page.then().statusCode(200);
            all.addAll(page.jsonPath().getList("items"));
            Number next = page.path("next");
            if (next == null) {
                return all;
            }
            after = next.longValue();
        }
    }

    public static List<Map<String, Object>> custody(Staff who, String chatId) {
        return who.as().get("/api/v1/chats/" + chatId + "/custody").then().statusCode(200).extract().jsonPath().getList("items");
    }

    /** A chat held by {@code holder}: a new customer chat in the queue, then intervened. */
    public String chatHeldBy(Staff holder) {
        String chatId = newChat(true);
        act(holder, chatId, "intervene").then().statusCode(200);
        return chatId;
    }

    /** Asserts an RFC 9457 problem with Baton's code and a detail. */
    public static ValidatableResponse expectProblem(Response response, int status, String code) {
        ValidatableResponse checked = response.then().statusCode(status).contentType(startsWith("application/problem+json"));
        JsonObject problem = json(response);
        assertEquals(status, problem.getInteger("status"), "problem status");
        assertEquals(code, problem.getString("code"), "problem code");
        String detail = problem.getString("detail");
        assertTrue(detail != null && !detail.isBlank(), "problem detail");
        return checked;
    }

    /**
     * The body as plain JSON. rest-assured's own look-ups ({@code path}, {@code body("x", ...)}) evaluate
     * a Groovy expression each, ~150 ms apiece on a loaded CI machine against under 1 ms here; the
     * fixtures every test runs use this.
     */
    public static JsonObject json(Response response) {
        return new JsonObject(response.asString());
    }

    /**
     * A request outside rest-assured, for what it cannot send: a body streamed without Content-Length
     * (chunked) or an exact byte count. Returns status, content type and body.
     */
    public static RawResponse raw(String method, String path, String token, byte[] body, boolean chunked) {
        return raw(RestAssured.port, method, path, token, body, chunked);
    }

    /** Same, at any port (a packaged instance), with extra header name/value pairs. */
    public static RawResponse raw(int port, String method, String path, String token, byte[] body, boolean chunked,
            String... headers) {
        BodyPublisher publisher = body == null ? BodyPublishers.noBody()
                : chunked ? BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : BodyPublishers.ofByteArray(body);
        HttpRequest.Builder request = HttpRequest
                .newBuilder(URI.create("http://localhost:" + port + path)).timeout(java.time.Duration.ofSeconds(30))
                .method(method, publisher);
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!typed) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), BodyHandlers.ofString());
            return new RawResponse(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).build();

    public record RawResponse(int status, String contentType, String body) {
        public String code() {
            return json().getString("code");
        }

        public JsonObject json() {
            return new JsonObject(body);
        }
    }

    /** Runs the calls on 16 threads at once and returns their results in the order given. */
    public static <T> List<T> inParallel(List<Callable<T>> calls) {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(calls, 5, TimeUnit.MINUTES)) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
