package dev.baton.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.baton.problem.Routes;
import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.WebhookReceiver;
import dev.baton.support.WhatsApp;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

/**
 * The OpenAPI document (/q/openapi) held to the running service: every operation it lists is called
 * for real — its success and at least one documented failure — and each answer's status must be one
 * the document lists for that operation, its problem {@code code} one listed for that status
 * ({@code x-problem-codes}), every header documented for that status present, and documented length
 * limits are the enforced ones (the limit passes, one more character is refused). And the reverse:
 * every route the resource classes serve ({@link Routes}) is in the document, so an endpoint added
 * without documentation fails here.
 */
@QuarkusTest
class OpenApiContractTests {

    private static final String API = "/api/v1";
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    /** Operations whose success needs a failed outside delivery; their documented failures are still called. */
    private static final Set<String> SUCCESS_NOT_CALLED = Set.of("post /api/v1/channels/{id}/sends/{chatId}/{seq}/replay");

    /** Plain JSON, not rest-assured's JsonPath: each JsonPath look-up evaluates a Groovy expression, slow by the thousand. */
    private static JsonObject doc;
    private static final Set<String> succeeded = ConcurrentHashMap.newKeySet();
    private static final Set<String> failed = ConcurrentHashMap.newKeySet();

    @Inject
    Routes routes;

    @BeforeEach
    void readDocument() {
        if (doc == null) {
            doc = new JsonObject(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString());
        }
    }

    @AfterAll
    static void everyOperationWasCalledForSuccessAndFailure() {
        assertAll(operations().stream().map(op -> () -> {
            assertTrue(SUCCESS_NOT_CALLED.contains(op) || succeeded.contains(op), op + ": no successful call checked");
            assertTrue(failed.contains(op), op + ": no documented failure checked");
        }));
    }

    @Test
    void shouldDocumentEveryRouteTheServiceServesAndNothingElse() {
        Set<String> served = routes.all().stream().map(r -> r.method().toLowerCase() + " " + r.template())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(served, new TreeSet<>(operations()));
    }

    @Test
    void shouldAnswerEveryProtectedOperationWithoutATokenWith401() {
        for (String op : operations()) {
            if (operation(op).getJsonArray("security", new JsonArray()).encode().contains("bearer")) {
                Response response = given().contentType(ContentType.JSON).body("{}").request(method(op), fill(path(op)));
                assertEquals(401, check(op, response).statusCode(), op);
            }
        }
    }

    @Test
    void shouldRefuseEveryNonJsonBodyWith415() {
        Staff owner = Api.signUp().owner;
        for (String op : operations()) {
            if (Set.of("post", "put", "patch").contains(method(op)) && !op.endsWith(API + "/inbound/messages")) {
                Response response = given().header("Authorization", "Bearer " + owner.token()).contentType(ContentType.TEXT)
                        .body("{}").request(method(op), fill(path(op)));
                assertEquals(415, check(op, response).statusCode(), op);
            }
        }
    }

    @Test
    void shouldRefuseAnUnacceptableResponseTypeWith406() {
        Staff owner = Api.signUp().owner;
        for (String op : operations()) {
            Response response = owner.as().accept("text/csv").body("{}").request(method(op), fill(path(op)));
            assertEquals(406, check(op, response).statusCode(), op);
        }
    }

    @Test
    void shouldAnswerAMethodAPathDoesNotServeWith405NamingTheAllowedOnes() {
        Staff owner = Api.signUp().owner;
        Set<String> paths = new TreeSet<>();
        operations().forEach(op -> paths.add(path(op)));
        for (String template : paths) {
            String path = fill(template);
            // Quarkus REST matches the path per method: PATCH /agents/me reaches PATCH /agents/{id}.
            Set<String> allowed = operations().stream().filter(op -> path.matches(path(op).replaceAll("\\{[^/}]+}", "[^/]+")))
                    .map(op -> method(op).toUpperCase()).collect(Collectors.toCollection(TreeSet::new));
            String wrong = METHODS.stream().filter(m -> !allowed.contains(m.toUpperCase())).findFirst().orElseThrow();
            Response response = owner.as().body("{}").request(wrong, path);
            String op = operations().stream().filter(o -> path(o).equals(template)).findFirst().orElseThrow();
            assertEquals(405, check(op, response).statusCode(), wrong + " " + path);
            assertEquals(allowed, Set.of(response.getHeader("Allow").split(",\\s*")), "Allow of " + path);
            allowed.forEach(method -> assertTrue(owner.as().body("{}").request(method, path).statusCode() != 405,
                    method + " " + path + " is in Allow but refused"));
        }
    }

    @Test
    void shouldAnswerSignUpAndLoginAsDocumented() {
        String slug = Api.unique("ws");
        Map<String, Object> signUp = Map.of("name", "Contract", "slug", slug,
                "owner", Map.of("username", "owner", "displayName", "Owner", "password", Api.DEFAULT_PASSWORD));
        expect(201, "post", "/api/v1/workspaces", given().contentType(ContentType.JSON).body(signUp));
        expect(409, "post", "/api/v1/workspaces", given().contentType(ContentType.JSON).body(signUp));
        expect(400, "post", "/api/v1/workspaces", given().contentType(ContentType.JSON).body(Map.of("name", "x")));

        Map<String, Object> login = Map.of("workspace", slug, "username", "owner", "password", Api.DEFAULT_PASSWORD);
        expect(200, "post", "/api/v1/auth/login", given().contentType(ContentType.JSON).body(login));
        Map<String, Object> wrong = Map.of("workspace", slug, "username", "owner", "password", "wrong password!");
        Response refused;
        do {
            refused = call("post", "/api/v1/auth/login", given().contentType(ContentType.JSON).body(wrong));
        } while (refused.statusCode() == 401);
        assertEquals(429, refused.statusCode());
        expect(400, "post", "/api/v1/auth/login", given().contentType(ContentType.JSON).body(Map.of("workspace", slug)));
    }

    @Test
    void shouldAnswerAgentsAsDocumented() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent1", "AGENT");
        expect(200, "get", "/api/v1/agents", api.owner.as());
        expect(201, "post", "/api/v1/agents", api.owner.as().body(Map.of("username", "agent2", "displayName", "Agent Two",
                "password", Api.DEFAULT_PASSWORD, "role", "AGENT")));
        expect(403, "post", "/api/v1/agents", agent.as().body(Map.of("username", "agent3", "displayName", "Agent Three",
                "password", Api.DEFAULT_PASSWORD, "role", "AGENT")));
        expect(200, "get", "/api/v1/agents/me", agent.as());
        expect(200, "put", "/api/v1/agents/me/availability", agent.as().body(Map.of("availability", "ONLINE")));
        expect(400, "put", "/api/v1/agents/me/availability", agent.as().body(Map.of("availability", "SOMEWHERE")));
        expect(200, "patch", "/api/v1/agents/{id}", api.owner.as().body(Map.of("displayName", "Renamed")), agent.id());
        expect(404, "patch", "/api/v1/agents/{id}", api.owner.as().body(Map.of("displayName", "Renamed")), uuid());
        expect(403, "patch", "/api/v1/agents/{id}", agent.as().body(Map.of("role", "OWNER")), agent.id());
    }

    @Test
    void shouldAnswerChatsCustodyAndTimelineAsDocumented() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent1", "AGENT");
        String chatId = api.newChat(true);
        expect(200, "get", "/api/v1/chats", api.owner.as());
        expect(400, "get", "/api/v1/chats", api.owner.as().queryParam("limit", 0));
        expect(200, "get", "/api/v1/chats/{id}", api.owner.as(), chatId);
        expect(404, "get", "/api/v1/chats/{id}", api.owner.as(), uuid());

        expect(412, "post", "/api/v1/chats/{id}/intervene", api.owner.as().header("If-Match", "\"99\""), chatId);
        expect(200, "post", "/api/v1/chats/{id}/intervene", api.owner.as(), chatId);
        expect(409, "post", "/api/v1/chats/{id}/takeover", api.owner.as(), chatId);
        expect(403, "post", "/api/v1/chats/{id}/transfer", agent.as().body(Map.of("toAgentId", agent.id())), chatId);
        expect(200, "post", "/api/v1/chats/{id}/transfer", api.owner.as().body(Map.of("toAgentId", agent.id(), "force", true)), chatId);
        expect(200, "post", "/api/v1/chats/{id}/takeover", api.owner.as(), chatId);
        expect(403, "post", "/api/v1/chats/{id}/release", agent.as(), chatId);
        expect(200, "post", "/api/v1/chats/{id}/release", api.owner.as(), chatId);
        expect(200, "post", "/api/v1/chats/{id}/resolve", api.owner.as(), chatId);
        expect(409, "post", "/api/v1/chats/{id}/resolve", api.owner.as(), chatId);
        expect(200, "post", "/api/v1/chats/{id}/reopen", api.owner.as(), chatId);
        expect(404, "post", "/api/v1/chats/{id}/reopen", api.owner.as(), uuid());

        expect(200, "get", "/api/v1/chats/{id}/timeline", api.owner.as(), chatId);
        expect(404, "get", "/api/v1/chats/{id}/timeline", api.owner.as(), uuid());
        expect(200, "get", "/api/v1/chats/{id}/custody", api.owner.as(), chatId);
        expect(404, "get", "/api/v1/chats/{id}/custody", api.owner.as(), uuid());
        expect(200, "get", "/api/v1/chats/{id}/monitors", api.owner.as(), chatId);
        expect(403, "get", "/api/v1/chats/{id}/monitors", agent.as(), chatId);

        api.owner.as().post("/api/v1/chats/" + chatId + "/intervene").then().statusCode(200);
        Map<String, Object> reply = Map.of("text", "Hello", "clientMessageId", UUID.randomUUID().toString());
        expect(201, "post", "/api/v1/chats/{id}/messages", api.owner.as().body(reply), chatId);
        Response replayed = expect(201, "post", "/api/v1/chats/{id}/messages", api.owner.as().body(reply), chatId);
        assertEquals("true", replayed.getHeader("Idempotent-Replayed"));
        expect(403, "post", "/api/v1/chats/{id}/messages", agent.as().body(Map.of("text", "Hi")), chatId);
        int text = maxLength("post /api/v1/chats/{id}/messages", "text");
        expect(201, "post", "/api/v1/chats/{id}/messages", api.owner.as().body(Map.of("text", "x".repeat(text))), chatId);
        expect(400, "post", "/api/v1/chats/{id}/messages", api.owner.as().body(Map.of("text", "x".repeat(text + 1))), chatId);
        int note = maxLength("post /api/v1/chats/{id}/notes", "text");
        expect(400, "post", "/api/v1/chats/{id}/notes", api.owner.as().body(Map.of("text", "x".repeat(note + 1))), chatId);
        expect(201, "post", "/api/v1/chats/{id}/notes", api.owner.as().body(Map.of("text", "A note")), chatId);
        expect(403, "post", "/api/v1/chats/{id}/notes", agent.as().body(Map.of("text", "A note")), chatId);
        expect(400, "post", "/api/v1/chats/{id}/notes", api.owner.as().body(Map.of("text", "")), chatId);
    }

    @Test
    void shouldAnswerTheChannelApiAsDocumented() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent1", "AGENT");
        expect(201, "post", "/api/v1/channel-tokens", api.owner.as().body(Map.of("name", "gateway")));
        expect(403, "post", "/api/v1/channel-tokens", agent.as().body(Map.of("name", "gateway")));
        String externalId = UUID.randomUUID().toString();
        RequestSpecification inbound = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + api.channelToken())
                .body(Map.of("externalId", externalId, "customer", Map.of("phone", Api.randomPhone()), "text", "Hi"));
        expect(201, "post", "/api/v1/inbound/messages", inbound);
        expect(400, "post", "/api/v1/inbound/messages", given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + api.channelToken()).body(Map.of("externalId", externalId)));
        expect(415, "post", "/api/v1/inbound/messages", given().contentType(ContentType.TEXT)
                .header("Authorization", "Bearer " + api.channelToken()).body("Hi"));

        WhatsApp wa = WhatsApp.connect(api);
        expect(200, "get", "/api/v1/channels", api.owner.as());
        expect(403, "get", "/api/v1/channels", agent.as());
        expect(201, "post", "/api/v1/channels", api.owner.as().body(Map.of("type", "WHATSAPP_CLOUD", "name", "Second line",
                "phoneNumberId", Long.toString(100_000_000_000L + System.nanoTime() % 899_999_999_999L),
                "accessToken", WhatsApp.ACCESS_TOKEN, "appSecret", WhatsApp.APP_SECRET)));
        expect(400, "post", "/api/v1/channels", api.owner.as().body(Map.of("type", "WHATSAPP_CLOUD")));
        expect(200, "get", "/api/v1/channels/{id}", api.owner.as(), wa.channelId);
        expect(404, "get", "/api/v1/channels/{id}", api.owner.as(), uuid());
        expect(200, "patch", "/api/v1/channels/{id}", api.owner.as().body(Map.of("name", "Renamed line")), wa.channelId);
        expect(404, "patch", "/api/v1/channels/{id}", api.owner.as().body(Map.of("name", "Renamed line")), uuid());
        expect(200, "get", "/api/v1/channels/{id}/sends", api.owner.as(), wa.channelId);
        expect(404, "get", "/api/v1/channels/{id}/sends", api.owner.as(), uuid());
        expect(404, "post", "/api/v1/channels/{id}/sends/{chatId}/{seq}/replay", api.owner.as(), wa.channelId, uuid(), "1");
        expect(400, "post", "/api/v1/channels/{id}/sends/{chatId}/{seq}/replay", api.owner.as(), wa.channelId, uuid(), "-1");
    }

    @Test
    void shouldAnswerOffersAsDocumented() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent1", "AGENT");
        agent.as().body(Map.of("availability", "ONLINE")).put("/api/v1/agents/me/availability").then().statusCode(200);
        String chatId = api.chatHeldBy(api.owner);
        expect(400, "post", "/api/v1/chats/{id}/offers", api.owner.as().body(Map.of("note", "no target")), chatId);
        String offer = expect(201, "post", "/api/v1/chats/{id}/offers", api.owner.as().body(Map.of("toAgentId", agent.id())), chatId)
                .path("id");
        expect(409, "post", "/api/v1/chats/{id}/offers", api.owner.as().body(Map.of("toAgentId", agent.id())), chatId);
        expect(200, "get", "/api/v1/chats/{id}/offers", api.owner.as(), chatId);
        expect(404, "get", "/api/v1/chats/{id}/offers", api.owner.as(), uuid());
        expect(200, "get", "/api/v1/offers", agent.as());
        expect(400, "get", "/api/v1/offers", agent.as().queryParam("limit", "many"));
        expect(200, "get", "/api/v1/offers/{id}", agent.as(), offer);
        expect(404, "get", "/api/v1/offers/{id}", agent.as(), uuid());
        expect(403, "post", "/api/v1/offers/{id}/accept", api.owner.as(), offer);
        expect(200, "post", "/api/v1/offers/{id}/decline", agent.as().body(Map.of("reason", "busy")), offer);
        expect(409, "post", "/api/v1/offers/{id}/decline", agent.as(), offer);
        expect(409, "post", "/api/v1/offers/{id}/cancel", api.owner.as(), offer);
        String second = api.owner.as().body(Map.of("toAgentId", agent.id())).post("/api/v1/chats/" + chatId + "/offers").path("id");
        expect(200, "post", "/api/v1/offers/{id}/cancel", api.owner.as(), second);
        String third = api.owner.as().body(Map.of("toAgentId", agent.id())).post("/api/v1/chats/" + chatId + "/offers").path("id");
        expect(200, "post", "/api/v1/offers/{id}/accept", agent.as(), third);
    }

    @Test
    void shouldAnswerWebhooksAsDocumented() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent1", "AGENT");
        try (WebhookReceiver receiver = WebhookReceiver.ok()) {
            Map<String, Object> hook = Map.of("url", receiver.url(), "events", List.of("chat.custody_changed"));
            String id = expect(201, "post", "/api/v1/webhooks", api.owner.as().body(hook)).path("id");
            expect(403, "post", "/api/v1/webhooks", agent.as().body(hook));
            expect(200, "get", "/api/v1/webhooks", api.owner.as());
            expect(403, "get", "/api/v1/webhooks", agent.as());
            expect(200, "get", "/api/v1/webhooks/{id}", api.owner.as(), id);
            expect(404, "get", "/api/v1/webhooks/{id}", api.owner.as(), uuid());
            expect(200, "patch", "/api/v1/webhooks/{id}", api.owner.as().body(Map.of("description", "custody")), id);
            expect(400, "patch", "/api/v1/webhooks/{id}", api.owner.as().body(Map.of("url", "not a url")), id);
            int description = maxLength("patch /api/v1/webhooks/{id}", "description");
            expect(400, "patch", "/api/v1/webhooks/{id}", api.owner.as().body(Map.of("description", "x".repeat(description + 1))), id);
            expect(200, "patch", "/api/v1/webhooks/{id}", api.owner.as().body(Map.of("description", "x".repeat(description))), id);
            expect(200, "post", "/api/v1/webhooks/{id}/rotate-secret", api.owner.as(), id);
            expect(404, "post", "/api/v1/webhooks/{id}/rotate-secret", api.owner.as(), uuid());

            api.chatHeldBy(api.owner);
            String delivery = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> api.owner.as()
                    .get("/api/v1/webhooks/" + id + "/deliveries?status=DELIVERED").jsonPath().<String>getList("items.id"),
                    ids -> !ids.isEmpty()).get(0);
            expect(200, "get", "/api/v1/webhooks/{id}/deliveries", api.owner.as(), id);
            expect(400, "get", "/api/v1/webhooks/{id}/deliveries", api.owner.as().queryParam("status", "LOST"), id);
            expect(200, "post", "/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay", api.owner.as(), id, delivery);
            expect(404, "post", "/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay", api.owner.as(), id, uuid());

            expect(204, "delete", "/api/v1/webhooks/{id}", api.owner.as(), id);
            expect(404, "delete", "/api/v1/webhooks/{id}", api.owner.as(), id);
        }
    }

    @Test
    void shouldAnswerTeamsAndRoutingAsDocumented() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent1", "AGENT");
        String team = expect(201, "post", "/api/v1/teams", api.owner.as().body(Map.of("name", "Billing"))).path("id");
        expect(409, "post", "/api/v1/teams", api.owner.as().body(Map.of("name", "Billing")));
        int name = maxLength("post /api/v1/teams", "name");
        expect(201, "post", "/api/v1/teams", api.owner.as().body(Map.of("name", "x".repeat(name))));
        expect(400, "post", "/api/v1/teams", api.owner.as().body(Map.of("name", "y".repeat(name + 1))));
        expect(200, "get", "/api/v1/teams", agent.as());
        expect(200, "patch", "/api/v1/teams/{id}", api.owner.as().body(Map.of("name", "Billing EU")), team);
        expect(404, "patch", "/api/v1/teams/{id}", api.owner.as().body(Map.of("name", "Billing EU")), uuid());
        expect(200, "put", "/api/v1/teams/{id}/members", api.owner.as().body(Map.of("agentIds", List.of(agent.id()))), team);
        expect(404, "put", "/api/v1/teams/{id}/members", api.owner.as().body(Map.of("agentIds", List.of(uuid()))), team);
        expect(200, "get", "/api/v1/routing", api.owner.as());
        expect(403, "get", "/api/v1/routing", agent.as());
        expect(200, "put", "/api/v1/routing", api.owner.as().body(Map.of("mode", "MANUAL")));
        expect(400, "put", "/api/v1/routing", api.owner.as().body(Map.of("mode", "RANDOM")));
        expect(200, "get", "/api/v1/queue", api.owner.as().queryParam("teamId", team));
        expect(404, "get", "/api/v1/queue", api.owner.as().queryParam("teamId", uuid()));
    }

    /** Calls the operation, checks the answer against the document and that it is {@code status}. */
    private static Response expect(int status, String method, String template, RequestSpecification request, String... ids) {
        Response response = call(method, template, request, ids);
        assertEquals(status, response.statusCode(), method + " " + template + " answered " + response.body().asString());
        return response;
    }

    private static Response call(String method, String template, RequestSpecification request, String... ids) {
        String path = template;
        for (String id : ids) {
            path = path.replaceFirst("\\{[^/}]+}", id);
        }
        return check(method + " " + template, request.request(method, path));
    }

    /** The answer's status, problem code and headers are the ones the document lists for the operation. */
    private static Response check(String op, Response response) {
        assertNotNull(operation(op), op + " is not in the document");
        String status = Integer.toString(response.statusCode());
        JsonObject responses = operation(op).getJsonObject("responses");
        JsonObject documented = responses.getJsonObject(status);
        assertNotNull(documented, op + " answered " + status + " (" + response.body().asString()
                + "), which the document does not list; it lists " + responses.fieldNames());
        if (response.contentType().startsWith("application/problem+json")) {
            String code = new JsonObject(response.body().asString()).getString("code");
            JsonArray codes = documented.getJsonArray("x-problem-codes");
            assertTrue(codes != null && codes.contains(code), op + " answered " + status + " " + code + ", documented: " + codes);
        }
        documented.getJsonObject("headers", new JsonObject()).fieldNames()
                .forEach(header -> assertNotNull(response.getHeader(header), op + " " + status + " lacks " + header));
        (response.statusCode() < 400 ? succeeded : failed).add(op);
        return response;
    }

    /** The maxLength the document gives a property of the operation's JSON request body. */
    private static int maxLength(String op, String property) {
        String ref = operation(op).getJsonObject("requestBody").getJsonObject("content").getJsonObject("application/json")
                .getJsonObject("schema").getString("$ref");
        JsonObject schema = doc.getJsonObject("components").getJsonObject("schemas").getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
        Integer max = schema.getJsonObject("properties").getJsonObject(property).getInteger("maxLength");
        assertNotNull(max, op + " documents no maxLength for " + property);
        return max;
    }

    private static List<String> operations() {
        List<String> operations = new ArrayList<>();
        JsonObject paths = doc.getJsonObject("paths");
        paths.fieldNames().forEach(path -> paths.getJsonObject(path).fieldNames().stream().filter(METHODS::contains)
                .forEach(method -> operations.add(method + " " + path)));
        return operations;
    }

    private static JsonObject operation(String op) {
        return doc.getJsonObject("paths").getJsonObject(path(op), new JsonObject()).getJsonObject(method(op));
    }

    private static String method(String op) {
        return op.substring(0, op.indexOf(' '));
    }

    private static String path(String op) {
        return op.substring(op.indexOf(' ') + 1);
    }

    /** A concrete path for a template: unknown ids (numbers for {seq}). */
    private static String fill(String template) {
        Matcher m = Pattern.compile("\\{([^/}]+)}").matcher(template);
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(path, m.group(1).equals("seq") ? "1" : uuid());
        }
        return m.appendTail(path).toString();
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }
}
