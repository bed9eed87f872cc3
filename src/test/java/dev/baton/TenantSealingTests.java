package dev.baton;

import static dev.baton.support.Api.expectProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Tenants are sealed: nothing of workspace A is readable or changeable with workspace B's credentials; ids of A answer 404. */
@QuarkusTest
class TenantSealingTests {

    private static final String PHONE = "+4930555" + "0100";

    /** Workspace A with a held chat, and workspace B whose owner tries everything on A's ids. */
    record Tenants(Api a, Staff aAgent, String aChat, Api b, Staff bOwner, Staff bAgent, String bChat) {

        static Tenants create() {
            Api a = Api.signUp();
            Staff aAgent = a.createAgent("agent1", "AGENT");
            String aChat = a.inbound("a-1", PHONE, "Hello A", true).then().statusCode(201).extract().path("chatId");
            Api.act(aAgent, aChat, "intervene").then().statusCode(200);
            Api.reply(aAgent, aChat, "A's secret reply").then().statusCode(201);
            Api b = Api.signUp();
            Staff bAgent = b.createAgent("agent1", "AGENT");
            return new Tenants(a, aAgent, aChat, b, b.owner, bAgent, b.chatHeldBy(b.owner));
        }

        /** What A's chat looks like to A's owner, to prove that nothing changed. */
        String aSnapshot() {
            return Api.chat(a.owner, aChat).then().statusCode(200).extract().asString()
                    + Api.timeline(a.owner, aChat);
        }
    }

    @Test
    void shouldAnswerChatNotFoundForEveryChatEndpointWithAnotherWorkspacesChat() {
        Tenants t = Tenants.create();
        String before = t.aSnapshot();
        String chat = "/api/v1/chats/" + t.aChat();
        Map<String, Function<Staff, Response>> calls = new LinkedHashMap<>();
        calls.put("GET chat", s -> s.as().get(chat));
        calls.put("GET timeline", s -> s.as().get(chat + "/timeline"));
        calls.put("GET custody", s -> s.as().get(chat + "/custody"));
        calls.put("POST intervene", s -> s.as().post(chat + "/intervene"));
        calls.put("POST takeover", s -> s.as().post(chat + "/takeover"));
        calls.put("POST transfer", s -> s.as().body(Map.of("toAgentId", t.bAgent().id(), "force", true)).post(chat + "/transfer"));
        calls.put("POST release", s -> s.as().post(chat + "/release"));
        calls.put("POST resolve", s -> s.as().post(chat + "/resolve"));
        calls.put("POST reopen", s -> s.as().post(chat + "/reopen"));
        calls.put("POST messages", s -> s.as().body(Map.of("text", "from B")).post(chat + "/messages"));
        calls.put("POST notes", s -> s.as().body(Map.of("text", "from B")).post(chat + "/notes"));
        for (Staff intruder : List.of(t.bOwner(), t.bAgent())) {
            calls.forEach((name, call) -> {
                Response r = call.apply(intruder);
                expectProblem(r, 404, "chat-not-found");
                assertSealed(t, r, name);
            });
        }
        assertEquals(before, t.aSnapshot());
    }

    @Test
    void shouldNotOpenTheMonitoringAuditOfAnotherWorkspacesChat() {
        Tenants t = Tenants.create();
        Response r = t.bOwner().as().get("/api/v1/chats/" + t.aChat() + "/monitors");
        assertEquals(404, r.statusCode());
        assertSealed(t, r, "GET monitors");
    }

    @Test
    void shouldAnswerAgentNotFoundForAnotherWorkspacesAgent() {
        Tenants t = Tenants.create();
        Response rename = t.bOwner().as().body(Map.of("displayName", "Hijacked")).patch("/api/v1/agents/" + t.aAgent().id());
        expectProblem(rename, 404, "agent-not-found");
        expectProblem(t.bOwner().as().body(Map.of("active", false)).patch("/api/v1/agents/" + t.aAgent().id()), 404,
                "agent-not-found");
        expectProblem(Api.transfer(t.bOwner(), t.bChat(), t.aAgent().id(), true), 404, "agent-not-found");
        expectProblem(Api.transfer(t.bOwner(), t.bChat(), t.a().owner.id(), true), 404, "agent-not-found");
        t.aAgent().as().get("/api/v1/agents/me").then().statusCode(200)
                .body("displayName", equalTo("agent1 Display")).body("active", equalTo(true));
        Api.chat(t.bOwner(), t.bChat()).then().body("holder.id", equalTo(t.bOwner().id()));
    }

    @Test
    void shouldListOnlyTheOwnWorkspacesChatsAndAgents() {
        Tenants t = Tenants.create();
        t.bOwner().as().get("/api/v1/chats").then().statusCode(200).body("items.id", containsInAnyOrder(t.bChat()));
        t.bOwner().as().get("/api/v1/chats?holderId=" + t.aAgent().id()).then().statusCode(200).body("items.size()", equalTo(0));
        t.bOwner().as().get("/api/v1/agents").then().statusCode(200)
                .body("id", containsInAnyOrder(t.bOwner().id(), t.bAgent().id()))
                .body("workspaceId", everyItem(equalTo(t.b().workspaceId)));
    }

    @Test
    void shouldNotFollowACursorIntoAnotherWorkspace() {
        Tenants t = Tenants.create();
        t.a().newChat(false);
        String cursor = t.a().owner.as().get("/api/v1/chats?limit=1").then().statusCode(200).extract().path("nextCursor");
        t.bOwner().as().get("/api/v1/chats?cursor=" + cursor).then().statusCode(200)
                .body("items.id", everyItem(not(equalTo(t.aChat()))))
                .body("items.workspaceId", everyItem(equalTo(t.b().workspaceId)));
    }

    @Test
    void shouldKeepAnotherWorkspacesChannelOutOfItsChats() {
        Tenants t = Tenants.create();
        String before = t.aSnapshot();
        Response sameCustomer = t.b().inbound("b-1", PHONE, "Hello B", false);
        sameCustomer.then().statusCode(201);
        String bChat = sameCustomer.path("chatId");
        assertNotEquals(t.aChat(), bChat);
        Api.chat(t.bOwner(), bChat).then().body("workspaceId", equalTo(t.b().workspaceId));
        assertEquals(before, t.aSnapshot());
    }

    @Test
    void shouldNotReplayAnotherWorkspacesExternalId() {
        Tenants t = Tenants.create();
        Response replayed = t.b().inbound("a-1", PHONE, "Same id, other tenant", false);
        replayed.then().statusCode(201).header("Idempotent-Replayed", "false");
        assertNotEquals(t.aChat(), replayed.path("chatId"));
        assertFalse(Api.timeline(t.a().owner, t.aChat()).toString().contains("Same id, other tenant"));
    }

    @Test
    void shouldRefuseALoginWithAnotherWorkspacesCredentials() {
        Tenants t = Tenants.create();
        t.bOwner().as().body(Map.of("username", "only-in-b", "displayName", "B", "password", "b's own password", "role", "AGENT"))
                .post("/api/v1/agents").then().statusCode(201);
        login(t.b().slug, "only-in-b", "b's own password").then().statusCode(200);
        expectProblem(login(t.a().slug, "only-in-b", "b's own password"), 401, "unauthorized");
        t.a().owner.as().body(Map.of("displayName", "A's owner")).patch("/api/v1/agents/" + t.a().owner.id()).then().statusCode(200);
        t.bOwner().as().body(Map.of("username", "shared", "displayName", "B", "password", "password of b", "role", "OWNER"))
                .post("/api/v1/agents").then().statusCode(201);
        t.a().owner.as().body(Map.of("username", "shared", "displayName", "A", "password", "password of a", "role", "AGENT"))
                .post("/api/v1/agents").then().statusCode(201);
        expectProblem(login(t.a().slug, "shared", "password of b"), 401, "unauthorized");
        login(t.a().slug, "shared", "password of a").then().statusCode(200).body("agent.workspaceId", equalTo(t.a().workspaceId));
    }

    private static Response login(String slug, String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("workspace", slug, "username", username, "password", password))
                .post("/api/v1/auth/login");
    }

    /** The refusal carries nothing of workspace A: not its chat, customer, agents or messages. */
    private static void assertSealed(Tenants t, Response r, String call) {
        String body = r.asString();
        for (String secret : List.of(t.a().workspaceId, t.aAgent().id(), PHONE, "A's secret reply", "Hello A")) {
            assertFalse(body.contains(secret), call + " leaked " + secret + ": " + body);
        }
    }
}
