package dev.baton;

import static dev.baton.support.Api.expectProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** PRODUCT.md's permission table, role by role, inside one workspace. */
@QuarkusTest
class PermissionTests {

    /** One workspace with a manager, two agents and a chat in every situation an agent's view depends on. */
    record Floor(Api api, Staff manager, Staff agent, Staff colleague, String held, String heldByColleague, String open,
            String queued, String resolved) {

        static Floor create() {
            Api api = Api.signUp();
            Staff manager = api.createAgent("manager1", "MANAGER");
            Staff agent = api.createAgent("agent1", "AGENT");
            Staff colleague = api.createAgent("agent2", "AGENT");
            String resolved = api.newChat(false);
            Api.act(api.owner, resolved, "resolve").then().statusCode(200);
            return new Floor(api, manager, agent, colleague, api.chatHeldBy(agent), api.chatHeldBy(colleague), api.newChat(false),
                    api.newChat(true), resolved);
        }

        List<String> all() {
            return List.of(held, heldByColleague, open, queued, resolved);
        }

        List<Staff> supervisors() {
            return List.of(api.owner, manager);
        }
    }

    @Test
    void shouldListToAnAgentOnlyItsChatsAndTheUnheldOpenAndQueuedOnes() {
        Floor f = Floor.create();
        f.agent().as().get("/api/v1/chats").then().statusCode(200)
                .body("items.id", containsInAnyOrder(f.held(), f.open(), f.queued()));
        f.agent().as().get("/api/v1/chats?status=INTERVENED").then().statusCode(200).body("items.id", containsInAnyOrder(f.held()));
        f.agent().as().get("/api/v1/chats?holderId=" + f.colleague().id()).then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void shouldListEveryChatToOwnersAndManagers() {
        Floor f = Floor.create();
        for (Staff supervisor : f.supervisors()) {
            supervisor.as().get("/api/v1/chats").then().statusCode(200).body("items.id", containsInAnyOrder(f.all().toArray()));
        }
    }

    @Test
    void shouldHideFromAnAgentTheChatsOthersHoldAndResolvedOnes() {
        Floor f = Floor.create();
        for (String visible : List.of(f.held(), f.open(), f.queued())) {
            Api.chat(f.agent(), visible).then().statusCode(200).body("id", equalTo(visible));
            f.agent().as().get("/api/v1/chats/" + visible + "/timeline").then().statusCode(200);
        }
        for (String hidden : List.of(f.heldByColleague(), f.resolved())) {
            expectProblem(Api.chat(f.agent(), hidden), 404, "chat-not-found");
            expectProblem(f.agent().as().get("/api/v1/chats/" + hidden + "/timeline"), 404, "chat-not-found");
            expectProblem(f.agent().as().get("/api/v1/chats/" + hidden + "/custody"), 404, "chat-not-found");
        }
    }

    @Test
    void shouldLetOwnersAndManagersReadAnyChat() {
        Floor f = Floor.create();
        for (Staff supervisor : f.supervisors()) {
            for (String chatId : f.all()) {
                Api.chat(supervisor, chatId).then().statusCode(200);
                supervisor.as().get("/api/v1/chats/" + chatId + "/timeline").then().statusCode(200);
                supervisor.as().get("/api/v1/chats/" + chatId + "/custody").then().statusCode(200);
            }
        }
    }

    @Test
    void shouldLetOnlyTheHolderReplyEvenAnOwner() {
        Floor f = Floor.create();
        for (Staff notHolder : List.of(f.api().owner, f.manager(), f.colleague())) {
            expectProblem(Api.reply(notHolder, f.held(), "not mine"), 403, "not-chat-holder");
        }
        expectProblem(Api.reply(f.agent(), f.open(), "nobody holds it"), 403, "not-chat-holder");
        Api.reply(f.agent(), f.held(), "mine").then().statusCode(201).body("author.id", equalTo(f.agent().id()));
        String ownersChat = f.api().chatHeldBy(f.api().owner);
        Api.reply(f.api().owner, ownersChat, "the owner holds this one").then().statusCode(201);
    }

    @Test
    void shouldLetSupervisorsNoteAnyChatAndAgentsOnlyTheirOwn() {
        Floor f = Floor.create();
        for (Staff supervisor : f.supervisors()) {
            for (String chatId : f.all()) {
                Api.note(supervisor, chatId, "supervisor note").then().statusCode(201).body("kind", equalTo("NOTE"));
            }
        }
        Api.note(f.agent(), f.held(), "my note").then().statusCode(201);
        for (String notHeld : List.of(f.heldByColleague(), f.open(), f.queued(), f.resolved())) {
            expectProblem(Api.note(f.agent(), notHeld, "not mine"), 403, "not-chat-holder");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "OWNER", "MANAGER", "AGENT" })
    void shouldLetOwnersCreateAgentsOfAnyRole(String role) {
        Api api = Api.signUp();
        Staff created = api.createAgent("new-" + role.toLowerCase(), role);
        created.as().get("/api/v1/agents/me").then().statusCode(200).body("role", equalTo(role));
    }

    @Test
    void shouldLetManagersCreateOnlyAgentsOfRoleAgent() {
        Api api = Api.signUp();
        Staff manager = api.createAgent("manager1", "MANAGER");
        api.createAgent(manager, "agent1", "AGENT");
        expectProblem(createAgent(manager, "manager2", "MANAGER"), 403, "forbidden");
        expectProblem(createAgent(manager, "owner2", "OWNER"), 403, "forbidden");
    }

    @Test
    void shouldNotLetAgentsCreateAgents() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent1", "AGENT");
        expectProblem(createAgent(agent, "agent2", "AGENT"), 403, "forbidden");
        api.owner.as().get("/api/v1/agents").then().body("username", containsInAnyOrder("owner", "agent1"));
    }

    @Test
    void shouldLetOnlyOwnersChangeRolesAndDeactivate() {
        Api api = Api.signUp();
        Staff manager = api.createAgent("manager1", "MANAGER");
        Staff agent = api.createAgent("agent1", "AGENT");
        for (Staff notOwner : List.of(manager, agent)) {
            expectProblem(patch(notOwner, agent.id(), Map.of("role", "MANAGER")), 403, "forbidden");
            expectProblem(patch(notOwner, agent.id(), Map.of("active", false)), 403, "forbidden");
        }
        expectProblem(patch(agent, agent.id(), Map.of("role", "OWNER")), 403, "forbidden");
        agent.as().get("/api/v1/agents/me").then().body("role", equalTo("AGENT")).body("active", equalTo(true));
        patch(api.owner, agent.id(), Map.of("role", "MANAGER")).then().statusCode(200).body("role", equalTo("MANAGER"));
    }

    @Test
    void shouldLetOnlyOwnersIssueChannelTokens() {
        Api api = Api.signUp();
        for (Staff notOwner : List.of(api.createAgent("manager1", "MANAGER"), api.createAgent("agent1", "AGENT"))) {
            expectProblem(notOwner.as().body(Map.of("name", "mine")).post("/api/v1/channel-tokens"), 403, "forbidden");
        }
        api.owner.as().body(Map.of("name", "whatsapp")).post("/api/v1/channel-tokens").then().statusCode(201);
    }

    @Test
    void shouldLetOnlyOwnersReadTheMonitoringAudit() {
        Floor f = Floor.create();
        Response owners = f.api().owner.as().get("/api/v1/chats/" + f.held() + "/monitors");
        assumeFalse(owners.statusCode() == 404 && "not-found".equals(owners.path("code")),
                "GET /chats/{id}/monitors does not exist yet");
        owners.then().statusCode(200);
        for (Staff notOwner : List.of(f.manager(), f.agent())) {
            expectProblem(notOwner.as().get("/api/v1/chats/" + f.held() + "/monitors"), 403, "forbidden");
        }
    }

    @Test
    void shouldLetOnlyOwnersAndManagersTakeOver() {
        Floor f = Floor.create();
        expectProblem(Api.act(f.colleague(), f.held(), "takeover"), 403, "forbidden");
        Api.act(f.manager(), f.held(), "takeover").then().statusCode(200).body("holder.id", equalTo(f.manager().id()));
        Api.act(f.api().owner, f.held(), "takeover").then().statusCode(200).body("holder.id", equalTo(f.api().owner.id()));
    }

    @Test
    void shouldLetAnAgentTransferOnlyTheChatsItHolds() {
        Floor f = Floor.create();
        for (String notHeld : List.of(f.heldByColleague(), f.open(), f.queued())) {
            expectProblem(Api.transfer(f.agent(), notHeld, f.manager().id()), 403, "not-chat-holder");
        }
        Api.transfer(f.agent(), f.held(), f.colleague().id()).then().statusCode(200).body("holder.id", equalTo(f.colleague().id()));
        expectProblem(Api.chat(f.agent(), f.held()), 404, "chat-not-found");
    }

    @Test
    void shouldLetOwnersAndManagersTransferAnyUnresolvedChat() {
        Floor f = Floor.create();
        Api.transfer(f.manager(), f.heldByColleague(), f.agent().id()).then().statusCode(200);
        Api.transfer(f.api().owner, f.open(), f.colleague().id()).then().statusCode(200);
        Api.transfer(f.manager(), f.queued(), f.manager().id()).then().statusCode(200).body("holder.id", equalTo(f.manager().id()));
    }

    @Test
    void shouldLetAnAgentReleaseAndResolveOnlyTheChatsItHolds() {
        Floor f = Floor.create();
        expectProblem(Api.act(f.agent(), f.heldByColleague(), "release"), 403, "not-chat-holder");
        expectProblem(Api.act(f.agent(), f.heldByColleague(), "resolve"), 403, "not-chat-holder");
        expectProblem(Api.act(f.agent(), f.queued(), "resolve"), 403, "not-chat-holder");
        Api.act(f.agent(), f.held(), "release").then().statusCode(200).body("status", equalTo("REQUESTING"));
        Api.act(f.colleague(), f.open(), "intervene").then().statusCode(200);
        Api.act(f.colleague(), f.open(), "resolve").then().statusCode(200).body("status", equalTo("RESOLVED"));
    }

    @Test
    void shouldLetOwnersAndManagersReleaseAndResolveChatsOthersHold() {
        Floor f = Floor.create();
        Api.act(f.manager(), f.held(), "release").then().statusCode(200).body("holder", nullValue());
        Api.act(f.api().owner, f.heldByColleague(), "resolve").then().statusCode(200).body("status", equalTo("RESOLVED"));
    }

    @Test
    void shouldStopADeactivatedAgentsTokenAtOnce() {
        Floor f = Floor.create();
        f.agent().as().get("/api/v1/agents/me").then().statusCode(200);
        patch(f.api().owner, f.agent().id(), Map.of("active", false)).then().statusCode(200).body("active", equalTo(false));
        expectProblem(f.agent().as().get("/api/v1/agents/me"), 401, "unauthorized");
        expectProblem(f.agent().as().get("/api/v1/chats"), 401, "unauthorized");
        expectProblem(Api.reply(f.agent(), f.held(), "still here?"), 401, "unauthorized");
        expectProblem(given().contentType(ContentType.JSON)
                .body(Map.of("workspace", f.api().slug, "username", "agent1", "password", Api.DEFAULT_PASSWORD))
                .post("/api/v1/auth/login"), 401, "unauthorized");
    }

    @Test
    void shouldQueueTheChatsOfADeactivatedAgentWithADeactivateEntry() {
        Floor f = Floor.create();
        String second = f.api().chatHeldBy(f.agent());
        patch(f.api().owner, f.agent().id(), Map.of("active", false)).then().statusCode(200);
        for (String chatId : List.of(f.held(), second)) {
            Api.chat(f.api().owner, chatId).then().statusCode(200)
                    .body("status", equalTo("REQUESTING")).body("holder", nullValue()).body("version", equalTo(3));
            List<Map<String, Object>> ledger = Api.custody(f.api().owner, chatId);
            Map<String, Object> last = ledger.get(ledger.size() - 1);
            assertEquals("DEACTIVATE", path(last, "custody", "action"));
            assertEquals(f.agent().id(), path(last, "custody", "from", "id"));
            assertEquals(null, path(last, "custody", "to"));
            assertEquals(f.api().owner.id(), path(last, "author", "id"));
        }
        Api.chat(f.api().owner, f.heldByColleague()).then().body("holder.id", equalTo(f.colleague().id()));
        f.manager().as().get("/api/v1/chats?status=REQUESTING").then().body("items.id", hasItems(f.held(), second, f.queued()));
    }

    private static Response createAgent(Staff creator, String username, String role) {
        return creator.as().body(Map.of("username", username, "displayName", username, "password", Api.DEFAULT_PASSWORD,
                "role", role)).post("/api/v1/agents");
    }

    private static Response patch(Staff who, String agentId, Map<String, Object> change) {
        return who.as().body(change).patch("/api/v1/agents/" + agentId);
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> entry, String... keys) {
        Object value = entry;
        for (String key : keys) {
            value = value == null ? null : ((Map<String, Object>) value).get(key);
        }
        return value;
    }
}
