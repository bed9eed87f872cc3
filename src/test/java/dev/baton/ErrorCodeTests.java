package dev.baton;

import static dev.baton.support.Api.expectProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.baton.support.Api;
import dev.baton.support.Api.RawResponse;
import dev.baton.support.Api.Staff;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Every error code of PRODUCT.md, with its status, as application/problem+json with a code and a detail; never a 5xx. */
@QuarkusTest
class ErrorCodeTests {

    private static final int BODY_LIMIT = 64 * 1024;

    @Test
    void shouldAnswerChatNotFoundForAnUnknownChat() {
        Api api = Api.signUp();
        String unknown = UUID.randomUUID().toString();
        expectProblem(Api.chat(api.owner, unknown), 404, "chat-not-found");
        expectProblem(Api.act(api.owner, unknown, "intervene"), 404, "chat-not-found");
        expectProblem(Api.reply(api.owner, unknown, "hello"), 404, "chat-not-found");
    }

    @Test
    void shouldAnswerChatNotFoundForAChatIdThatIsNotAUuid() {
        Api api = Api.signUp();
        expectProblem(Api.chat(api.owner, "not-a-uuid"), 404, "chat-not-found");
        expectProblem(Api.act(api.owner, "not-a-uuid", "intervene"), 404, "chat-not-found");
    }

    @Test
    void shouldAnswerNotChatHolderToAReplyFromSomeoneNotHoldingTheChat() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent1", "AGENT");
        String chatId = api.chatHeldBy(agent);
        expectProblem(Api.reply(api.owner, chatId, "hello"), 403, "not-chat-holder");
    }

    @Test
    void shouldAnswerForbiddenToAnAgentCreatingAgents() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent1", "AGENT");
        expectProblem(agent.as().body(newAgent("agent2", "AGENT")).post("/api/v1/agents"), 403, "forbidden");
    }

    @Test
    void shouldAnswerInvalidTransitionToReleasingAnUnheldChat() {
        Api api = Api.signUp();
        String chatId = api.newChat(false);
        expectProblem(Api.act(api.owner, chatId, "release"), 409, "invalid-transition");
    }

    @Test
    void shouldAnswerSameHolderToATakeoverByTheHolder() {
        Api api = Api.signUp();
        String chatId = api.chatHeldBy(api.owner);
        expectProblem(Api.act(api.owner, chatId, "takeover"), 409, "same-holder");
    }

    @Test
    void shouldAnswerAgentOfflineToATransferToAnOfflineAgentWithoutForce() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent1", "AGENT");
        agent.as().body(Map.of("availability", "OFFLINE")).put("/api/v1/agents/me/availability").then().statusCode(200);
        String chatId = api.chatHeldBy(api.owner);
        expectProblem(Api.transfer(api.owner, chatId, agent.id()), 409, "agent-offline");
        Api.transfer(api.owner, chatId, agent.id(), true).then().statusCode(200).body("holder.id", equalTo(agent.id()));
    }

    @Test
    void shouldAnswerAgentNotFoundForAnUnknownTransferTargetOrAgent() {
        Api api = Api.signUp();
        String chatId = api.chatHeldBy(api.owner);
        expectProblem(Api.transfer(api.owner, chatId, UUID.randomUUID().toString()), 404, "agent-not-found");
        expectProblem(api.owner.as().body(Map.of("displayName", "X")).patch("/api/v1/agents/" + UUID.randomUUID()), 404,
                "agent-not-found");
    }

    @Test
    void shouldAnswerAgentNotFoundForATransferToADeactivatedAgent() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent1", "AGENT");
        api.owner.as().body(Map.of("active", false)).patch("/api/v1/agents/" + agent.id()).then().statusCode(200);
        String chatId = api.chatHeldBy(api.owner);
        expectProblem(Api.transfer(api.owner, chatId, agent.id(), true), 404, "agent-not-found");
    }

    @Test
    void shouldCarryTheVersionAsETagOnEveryChatResponse() {
        Api api = Api.signUp();
        String chatId = api.newChat(false);
        Api.chat(api.owner, chatId).then().statusCode(200).header("ETag", "\"0\"");
        Api.act(api.owner, chatId, "intervene").then().statusCode(200).header("ETag", "\"1\"").body("version", equalTo(1));
        Api.act(api.owner, chatId, "resolve").then().statusCode(200).header("ETag", "\"2\"");
    }

    @Test
    void shouldAnswerVersionMismatchToAStaleIfMatchAndChangeNothing() {
        Api api = Api.signUp();
        String chatId = api.newChat(false);
        Api.act(api.owner, chatId, "intervene").then().statusCode(200);
        expectProblem(api.owner.as().header("If-Match", "\"0\"").post("/api/v1/chats/" + chatId + "/release"), 412,
                "version-mismatch");
        Api.chat(api.owner, chatId).then().body("status", equalTo("INTERVENED")).body("version", equalTo(1));
        api.owner.as().header("If-Match", "\"1\"").post("/api/v1/chats/" + chatId + "/release").then().statusCode(200);
    }

    @Test
    void shouldAcceptIfMatchOfAnyVersion() {
        Api api = Api.signUp();
        String chatId = api.newChat(false);
        api.owner.as().header("If-Match", "*").post("/api/v1/chats/" + chatId + "/intervene").then().statusCode(200);
        api.owner.as().header("If-Match", "W/\"1\"").post("/api/v1/chats/" + chatId + "/release").then().statusCode(200);
    }

    @Test
    void shouldRefuseAPhoneNumberThatIsNotE164() {
        Api api = Api.signUp();
        expectProblem(api.inbound("0049 30 1234", "hi", false), 400, "validation-failed");
    }

    @Test
    void shouldRefuseMessageTextLongerThan4096Characters() {
        Api api = Api.signUp();
        String chatId = api.chatHeldBy(api.owner);
        expectProblem(Api.reply(api.owner, chatId, "x".repeat(4097)), 400, "validation-failed");
        Api.reply(api.owner, chatId, "x".repeat(4096)).then().statusCode(201);
        expectProblem(api.inbound(Api.randomPhone(), "x".repeat(4097), false), 400, "validation-failed");
    }

    @ParameterizedTest
    @ValueSource(strings = { "201", "0", "-1", "abc", "1.5", "99999999999999999999" })
    void shouldRefuseABadLimit(String limit) {
        Api api = Api.signUp();
        String chatId = api.newChat(false);
        expectProblem(api.owner.as().get("/api/v1/chats?limit=" + limit), 400, "validation-failed");
        expectProblem(api.owner.as().get("/api/v1/chats/" + chatId + "/timeline?limit=" + limit), 400, "validation-failed");
    }

    @Test
    void shouldAcceptTheLargestLimit() {
        Api api = Api.signUp();
        api.owner.as().get("/api/v1/chats?limit=200").then().statusCode(200);
    }

    @Test
    void shouldRefuseBadQueryParameters() {
        Api api = Api.signUp();
        String chatId = api.newChat(false);
        expectProblem(api.owner.as().get("/api/v1/chats?status=open"), 400, "validation-failed");
        expectProblem(api.owner.as().get("/api/v1/chats?holderId=42"), 400, "validation-failed");
        expectProblem(api.owner.as().get("/api/v1/chats?cursor=garbage"), 400, "validation-failed");
        expectProblem(api.owner.as().get("/api/v1/chats/" + chatId + "/timeline?after=x"), 400, "validation-failed");
        expectProblem(api.owner.as().header("If-Match", "\"v1\"").post("/api/v1/chats/" + chatId + "/intervene"), 400,
                "validation-failed");
    }

    @Test
    void shouldRefuseAnUnknownJsonField() {
        Api api = Api.signUp();
        Map<String, Object> body = new HashMap<>(newAgent("agent1", "AGENT"));
        body.put("admin", true);
        expectProblem(api.owner.as().body(body).post("/api/v1/agents"), 400, "validation-failed");
    }

    @Test
    void shouldRefuseAnEnumGivenAsOrdinal() {
        Api api = Api.signUp();
        Map<String, Object> body = new HashMap<>(newAgent("agent1", "AGENT"));
        body.put("role", 0);
        expectProblem(api.owner.as().body(body).post("/api/v1/agents"), 400, "validation-failed");
        expectProblem(api.owner.as().body(Map.of("availability", 2)).put("/api/v1/agents/me/availability"), 400,
                "validation-failed");
        expectProblem(api.owner.as().body(Map.of("availability", "offline")).put("/api/v1/agents/me/availability"), 400,
                "validation-failed");
    }

    @Test
    void shouldRefuseAValueOfTheWrongType() {
        Api api = Api.signUp();
        String chatId = api.chatHeldBy(api.owner);
        expectProblem(api.owner.as().body(Map.of("text", 123)).post("/api/v1/chats/" + chatId + "/messages"), 400,
                "validation-failed");
        expectProblem(api.owner.as().body(Map.of("toAgentId", "not-a-uuid")).post("/api/v1/chats/" + chatId + "/transfer"), 400,
                "validation-failed");
        expectProblem(api.owner.as().body(Map.of("toAgentId", api.owner.id(), "force", "yes"))
                .post("/api/v1/chats/" + chatId + "/transfer"), 400, "validation-failed");
        expectProblem(api.owner.as().body("[1, 2]").post("/api/v1/chats/" + chatId + "/messages"), 400, "validation-failed");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{", "{\"text\": }", "not json", "{\"text\": \"a\"} trailing", "\"just a string\"", "null" })
    void shouldRefuseMalformedJson(String body) {
        Api api = Api.signUp();
        String chatId = api.chatHeldBy(api.owner);
        expectProblem(api.owner.as().body(body).post("/api/v1/chats/" + chatId + "/messages"), 400, "validation-failed");
        expectProblem(api.owner.as().body(body).post("/api/v1/agents"), 400, "validation-failed");
    }

    @Test
    void shouldRefuseAMissingBody() {
        Api api = Api.signUp();
        String chatId = api.chatHeldBy(api.owner);
        expectProblem(api.owner.as().post("/api/v1/chats/" + chatId + "/messages"), 400, "validation-failed");
        expectProblem(api.owner.as().post("/api/v1/chats/" + chatId + "/notes"), 400, "validation-failed");
        expectProblem(api.owner.as().post("/api/v1/chats/" + chatId + "/transfer"), 400, "validation-failed");
        expectProblem(api.owner.as().post("/api/v1/agents"), 400, "validation-failed");
        expectProblem(given().contentType(ContentType.JSON).post("/api/v1/auth/login"), 400, "validation-failed");
        expectProblem(given().contentType(ContentType.JSON).header("Authorization", "Bearer " + api.channelToken())
                .post("/api/v1/inbound/messages"), 400, "validation-failed");
    }

    @Test
    void shouldRefuseMissingRequiredFields() {
        Api api = Api.signUp();
        expectProblem(api.owner.as().body(Map.of("username", "agent1")).post("/api/v1/agents"), 400, "validation-failed");
        expectProblem(given().contentType(ContentType.JSON).header("Authorization", "Bearer " + api.channelToken())
                .body(Map.of("externalId", "e1", "text", "hi")).post("/api/v1/inbound/messages"), 400, "validation-failed");
    }

    @Test
    void shouldListEveryInvalidFieldInOneProblem() {
        Api api = Api.signUp();
        Map<String, Object> body = Map.of("username", "-x", "displayName", "Agent", "password", "short", "role", "AGENT");
        expectProblem(api.owner.as().body(body).post("/api/v1/agents"), 400, "validation-failed")
                .body("errors", equalTo(List.of("password: size must be between 8 and 200",
                        "username: must be 3 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit")))
                .body("detail", equalTo("The request is invalid: password: size must be between 8 and 200; "
                        + "username: must be 3 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit"));
        expectProblem(given().contentType(ContentType.JSON).header("Authorization", "Bearer " + api.channelToken())
                .body(Map.of("externalId", "e1", "customer", Map.of("phone", "123", "name", " "), "text", "hi"))
                .post("/api/v1/inbound/messages"), 400, "validation-failed")
                .body("errors", equalTo(List.of("name: must be 1 to 200 characters of text without control characters",
                        "phone: must be an E.164 number such as +14155550123")));
    }

    @Test
    void shouldNameAMissingBodyLikeAMissingField() {
        Api api = Api.signUp();
        String chatId = api.chatHeldBy(api.owner);
        expectProblem(api.owner.as().body("null").post("/api/v1/chats/" + chatId + "/transfer"), 400, "validation-failed")
                .body("errors", equalTo(List.of("body: must not be null")));
        expectProblem(api.owner.as().post("/api/v1/agents"), 400, "validation-failed")
                .body("errors", equalTo(List.of("request: must not be null")));
    }

    @Test
    void shouldReportAMisspeltFieldAsUnknownRatherThanTheFieldItMisses() {
        Api api = Api.signUp();
        Map<String, Object> body = Map.of("userName", "agent1", "displayName", "Agent", "password", Api.DEFAULT_PASSWORD, "role", "AGENT");
        expectProblem(api.owner.as().body(body).post("/api/v1/agents"), 400, "validation-failed")
                .body("detail", equalTo("Unknown field 'userName'."));
        expectProblem(given().contentType(ContentType.JSON).header("Authorization", "Bearer " + api.channelToken())
                .body(Map.of("externalId", "e1", "customer", Map.of("phone", "123", "nmae", "x"), "text", "hi"))
                .post("/api/v1/inbound/messages"), 400, "validation-failed")
                .body("detail", equalTo("Unknown field 'nmae'."));
    }

    @Test
    void shouldAnswerUnauthorizedWithoutOrWithABadToken() {
        expectProblem(given().get("/api/v1/chats"), 401, "unauthorized");
        expectProblem(given().header("Authorization", "Bearer nonsense").get("/api/v1/chats"), 401, "unauthorized");
        expectProblem(given().header("Authorization", "Basic b3duZXI6cGFzcw==").get("/api/v1/agents/me"), 401, "unauthorized");
        expectProblem(given().header("Authorization", "Bearer a.b.c").get("/api/v1/agents"), 401, "unauthorized");
        expectProblem(given().contentType(ContentType.JSON).header("Authorization", "Bearer bct_nothing")
                .body(inbound()).post("/api/v1/inbound/messages"), 401, "unauthorized");
    }

    @Test
    void shouldAnswerOneGenericUnauthorizedForEveryFailedLogin() {
        Api api = Api.signUp();
        String wrongPassword = login(api.slug, "owner", "wrong password!").then().extract().asString();
        String unknownUser = login(api.slug, "nobody", Api.DEFAULT_PASSWORD).then().extract().asString();
        String unknownWorkspace = login("no-such-workspace", "owner", Api.DEFAULT_PASSWORD).then().extract().asString();
        String unstorableName = login(api.slug + "\u0000", "owner\u0000", Api.DEFAULT_PASSWORD).then().extract().asString();
        expectProblem(login(api.slug, "owner", "wrong password!"), 401, "unauthorized");
        expectProblem(login("no-such-workspace", "owner", Api.DEFAULT_PASSWORD), 401, "unauthorized");
        assertEquals(wrongPassword, unknownUser);
        assertEquals(wrongPassword, unknownWorkspace);
        assertEquals(wrongPassword, unstorableName);
    }

    /** With Content-Length the limit is known up front; a chunked body is refused once it passes 64 KiB. */
    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void shouldAnswerPayloadTooLargeForABodyOver64KiB(boolean chunked) {
        Api api = Api.signUp();
        String chatId = api.chatHeldBy(api.owner);
        RawResponse r = Api.raw("POST", "/api/v1/chats/" + chatId + "/messages", api.owner.token(), oversizedBody(), chunked);
        assertProblem(r, 413, "payload-too-large");
        assertNoReply(api, chatId);
        assertProblem(Api.raw("POST", "/api/v1/inbound/messages", null, oversizedBody(), chunked), 413, "payload-too-large");
    }

    @Test
    void shouldAcceptAChunkedBodyUnderTheLimit() {
        Api api = Api.signUp();
        String chatId = api.chatHeldBy(api.owner);
        byte[] body = "{\"text\": \"sent in chunks\"}".getBytes(StandardCharsets.UTF_8);
        RawResponse r = Api.raw("POST", "/api/v1/chats/" + chatId + "/messages", api.owner.token(), body, true);
        assertEquals(201, r.status(), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = { "/nope", "/api/v1/nope", "/api/v2/chats", "/api/v1/chats/" + "00000000-0000-0000-0000-000000000000/nope" })
    void shouldAnswerAnUnknownRouteWithProblemJson(String path) {
        Api api = Api.signUp();
        expectProblem(api.owner.as().get(path), 404, "not-found");
        expectProblem(given().get(path), 404, "not-found");
    }

    @Test
    void shouldAnswerAWrongMethodWithProblemJsonNamingTheAllowedMethods() {
        Api api = Api.signUp();
        String chatId = api.newChat(false);
        expectProblem(api.owner.as().delete("/api/v1/chats/" + chatId), 405, "method-not-allowed").header("Allow", "GET");
        expectProblem(api.owner.as().get("/api/v1/chats/" + chatId + "/intervene"), 405, "method-not-allowed").header("Allow", "POST");
        expectProblem(given().get("/api/v1/auth/login"), 405, "method-not-allowed").header("Allow", "POST");
        expectProblem(given().put("/api/v1/inbound/messages"), 405, "method-not-allowed").header("Allow", "POST");
        expectProblem(api.owner.as().put("/api/v1/webhooks/" + UUID.randomUUID()), 405, "method-not-allowed")
                .header("Allow", "DELETE, GET, PATCH");
    }

    @Test
    void shouldAnswerNotAcceptableWithProblemJsonRatherThanAnotherFormat() {
        Api api = Api.signUp();
        String chatId = api.newChat(false);
        expectProblem(api.owner.as().accept(ContentType.TEXT).get("/api/v1/chats/" + chatId), 406, "not-acceptable");
        expectProblem(api.owner.as().accept(ContentType.XML).get("/api/v1/agents"), 406, "not-acceptable");
    }

    @Test
    void shouldAnswerAnUnsupportedMediaTypeWithProblemJson() {
        Api api = Api.signUp();
        Response r = given().header("Authorization", "Bearer " + api.owner.token()).contentType(ContentType.TEXT)
                .body("hello").post("/api/v1/agents");
        expectProblem(r, 415, "unsupported-media-type");
    }

    private static Map<String, Object> newAgent(String username, String role) {
        return Map.of("username", username, "displayName", username, "password", Api.DEFAULT_PASSWORD, "role", role);
    }

    private static Map<String, Object> inbound() {
        return Map.of("externalId", "e1", "customer", Map.of("phone", "+14155550123"), "text", "hi");
    }

    private static Response login(String slug, String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("workspace", slug, "username", username, "password", password))
                .post("/api/v1/auth/login");
    }

    /** A well-formed reply whose text alone passes 64 KiB. */
    private static byte[] oversizedBody() {
        return ("{\"text\": \"" + "x".repeat(BODY_LIMIT + 10) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static void assertNoReply(Api api, String chatId) {
        assertEquals(0, Api.timeline(api.owner, chatId).stream().filter(e -> "OUTBOUND".equals(e.get("kind"))).count());
    }

    private static void assertProblem(RawResponse r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals(code, r.code(), r.body());
    }
}
