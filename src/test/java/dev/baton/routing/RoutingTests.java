package dev.baton.routing;

import static dev.baton.support.Api.expectProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * PRODUCT.md "Routing": each mode's choice, the queue's order, team eligibility, capacity in automatic
 * assignment, the triggers that make an assignment possible, and the ledger entry and events it writes.
 */
@QuarkusTest
class RoutingTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    static void routing(Api api, String mode, Integer defaultMaxChats, String noReplyTimeout) {
        Map<String, Object> body = new HashMap<>();
        body.put("mode", mode);
        body.put("defaultMaxChats", defaultMaxChats);
        body.put("noReplyTimeout", noReplyTimeout);
        api.owner.as().body(body).put("/api/v1/routing").then().statusCode(200).body("mode", equalTo(mode));
    }

    static void availability(Staff who, String availability) {
        who.as().body(Map.of("availability", availability)).put("/api/v1/agents/me/availability").then().statusCode(200);
    }

    /** A workspace whose owner is BUSY (owners are ONLINE, hence eligible, by default). */
    static Api workspace() {
        Api api = Api.signUp();
        availability(api.owner, "BUSY");
        return api;
    }

    static String holderOf(Api api, String chatId) {
        return Api.chat(api.owner, chatId).then().statusCode(200).extract().path("holder.id");
    }

    static String awaitHolder(Api api, String chatId) {
        return Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> holderOf(api, chatId), h -> h != null);
    }

    static String team(Api api, String name, Staff... members) {
        String id = api.owner.as().body(Map.of("name", name)).post("/api/v1/teams").then().statusCode(201).extract().path("id");
        List<String> ids = new ArrayList<>();
        for (Staff m : members) {
            ids.add(m.id());
        }
        api.owner.as().body(Map.of("agentIds", ids)).put("/api/v1/teams/" + id + "/members").then().statusCode(200);
        return id;
    }

    @Test
    void shouldAssignRoundRobinToTheAgentAssignedLeastRecently() {
        Api api = workspace();
        List<Staff> agents = List.of(api.createAgent("rr1", "AGENT"), api.createAgent("rr2", "AGENT"), api.createAgent("rr3", "AGENT"));
        routing(api, "ROUND_ROBIN", null, null);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            order.add(awaitHolder(api, api.newChat(true)));
        }
        assertEquals(3, order.subList(0, 3).stream().distinct().count(), "each agent once before anyone twice: " + order);
        assertEquals(order.subList(0, 3), order.subList(3, 6), "then the same rotation");
        assertTrue(agents.stream().allMatch(a -> order.contains(a.id())));
    }

    @Test
    void shouldAssignLeastLoadedThenLeastRecentlyAssigned() {
        Api api = workspace();
        Staff a = api.createAgent("ll-a", "AGENT");
        Staff b = api.createAgent("ll-b", "AGENT");
        Staff c = api.createAgent("ll-c", "AGENT");
        api.chatHeldBy(a);
        api.chatHeldBy(a);
        api.chatHeldBy(c);
        routing(api, "LEAST_LOADED", null, null);
        // Loads a2 b0 c1: b. Then b1 c1, c never assigned automatically: c. Then a2 b1 c2: b.
        // Then all at 2, a never assigned automatically: a.
        assertEquals(b.id(), awaitHolder(api, api.newChat(true)));
        assertEquals(c.id(), awaitHolder(api, api.newChat(true)));
        assertEquals(b.id(), awaitHolder(api, api.newChat(true)));
        assertEquals(a.id(), awaitHolder(api, api.newChat(true)));
    }

    @Test
    void shouldListTheQueueOldestFirstAndAssignTheOldestFirst() {
        Api api = workspace();
        List<String> chats = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            chats.add(api.newChat(true));
        }
        Api.act(api.owner, chats.get(1), "intervene").then().statusCode(200);
        Api.act(api.owner, chats.get(1), "release").then().statusCode(200); // re-enters the queue: now the newest
        var queue = api.owner.as().get("/api/v1/queue").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(chats.get(0), chats.get(2), chats.get(1)), queue.getList("items.chat.id"));
        assertEquals(List.of(1, 2, 3), queue.getList("items.position"));
        assertTrue(queue.getString("items[0].waitingSince").compareTo(queue.getString("items[2].waitingSince")) < 0);

        Staff agent = api.createAgent("fifo", "AGENT");
        CapacityTests.setMaxChats(api.owner, agent.id(), 1);
        routing(api, "ROUND_ROBIN", null, null);
        assertEquals(agent.id(), awaitHolder(api, chats.get(0)));
        assertEquals(List.of(chats.get(2), chats.get(1)),
                api.owner.as().get("/api/v1/queue").jsonPath().getList("items.chat.id"));
    }

    @Test
    void shouldAssignATeamsChatsOnlyToItsMembers() {
        Api api = workspace();
        Staff member = api.createAgent("member", "AGENT");
        Staff outsider = api.createAgent("outsider", "AGENT");
        availability(member, "BUSY");
        String sales = team(api, "Sales", member);
        String chat = api.chatHeldBy(outsider);
        routing(api, "ROUND_ROBIN", null, null);

        api.owner.as().body(Map.of("toTeamId", sales, "note", "for sales")).post("/api/v1/chats/" + chat + "/transfer")
                .then().statusCode(200).body("status", equalTo("REQUESTING")).body("teamId", equalTo(sales));
        // The outsider is ONLINE with room, yet the chat waits for a member.
        String other = api.newChat(true);
        assertEquals(outsider.id(), awaitHolder(api, other));
        Api.chat(api.owner, chat).then().body("status", equalTo("REQUESTING")).body("holder", nullValue());
        assertEquals(List.of(), outsider.as().get("/api/v1/queue").jsonPath().getList("items"), "an outsider does not see the team's queue");
        expectProblem(outsider.as().get("/api/v1/queue?teamId=" + sales), 403, "forbidden");
        assertEquals(List.of(chat), member.as().get("/api/v1/queue?teamId=" + sales).jsonPath().getList("items.chat.id"));

        availability(member, "ONLINE");
        assertEquals(member.id(), awaitHolder(api, chat));
    }

    @Test
    void shouldNeverAssignAboveMaxChatsAndUseCapacityOnceFreed() {
        Api api = workspace();
        Staff agent = api.createAgent("capped", "AGENT");
        routing(api, "LEAST_LOADED", 1, null);
        String first = api.newChat(true);
        String second = api.newChat(true);
        assertEquals(agent.id(), awaitHolder(api, first));
        Api.chat(api.owner, second).then().body("status", equalTo("REQUESTING"));

        Api.act(agent, first, "resolve").then().statusCode(200);
        assertEquals(agent.id(), awaitHolder(api, second), "capacity freed by a resolve is used at once");

        String third = api.newChat(true);
        CapacityTests.setMaxChats(api.owner, agent.id(), 2);
        assertEquals(agent.id(), awaitHolder(api, third), "a raised limit is used at once");
        assertEquals(2, CapacityTests.heldBy(api, agent));
    }

    @Test
    void shouldWriteAnAssignEntryWithItsReasonAndTellTheAgent() throws Exception {
        Api api = workspace();
        Staff agent = api.createAgent("told", "AGENT");
        availability(agent, "BUSY");
        routing(api, "ROUND_ROBIN", null, null);
        String chat = api.newChat(true);
        Sockets.Client inbox = Sockets.openInbox(agent.token());
        try {
            availability(agent, "ONLINE"); // going ONLINE is a trigger
            JsonObject assigned = inbox.next("chat.assigned");
            assertEquals(chat, assigned.getString("chatId"));
            assertEquals(null, assigned.getValue("performer"));
        } finally {
            inbox.close();
        }
        List<Map<String, Object>> ledger = Api.custody(api.owner, chat);
        Map<?, ?> last = ledger.get(ledger.size() - 1);
        Map<?, ?> custody = (Map<?, ?>) last.get("custody");
        assertEquals("ASSIGN", custody.get("action"));
        assertEquals("ROUND_ROBIN", custody.get("reason"));
        assertEquals(agent.id(), ((Map<?, ?>) custody.get("to")).get("id"));
        assertEquals(null, last.get("author"));
    }

    @Test
    void shouldLeaveTheQueueAloneInManualMode() {
        Api api = workspace();
        api.createAgent("idle", "AGENT");
        String chat = api.newChat(true);
        String control = api.newChat(true);
        routing(api, "MANUAL", null, null);
        Api.act(api.owner, control, "intervene").then().statusCode(200);
        Api.act(api.owner, control, "release").then().statusCode(200);
        assertEquals(List.of(chat, control), api.owner.as().get("/api/v1/queue").jsonPath().getList("items.chat.id"));
    }

    @Test
    void shouldValidateRoutingSettingsAndTeams() {
        Api api = workspace();
        Staff manager = api.createAgent("mgr", "MANAGER");
        Staff agent = api.createAgent("agt", "AGENT");
        api.owner.as().get("/api/v1/routing").then().statusCode(200).body("mode", equalTo("MANUAL"))
                .body("defaultMaxChats", nullValue()).body("noReplyTimeout", nullValue());
        expectProblem(manager.as().body(Map.of("mode", "ROUND_ROBIN")).put("/api/v1/routing"), 403, "forbidden");
        expectProblem(api.owner.as().body(Map.of("mode", "RANDOM")).put("/api/v1/routing"), 400, "validation-failed");
        expectProblem(api.owner.as().body(Map.of("mode", "MANUAL", "noReplyTimeout", "soon")).put("/api/v1/routing"), 400,
                "validation-failed");
        expectProblem(api.owner.as().body(Map.of("mode", "MANUAL", "defaultMaxChats", -1)).put("/api/v1/routing"), 400,
                "validation-failed");
        api.owner.as().body(Map.of("mode", "LEAST_LOADED", "defaultMaxChats", 4, "noReplyTimeout", "PT5M")).put("/api/v1/routing")
                .then().statusCode(200).body("noReplyTimeout", equalTo("PT5M")).body("defaultMaxChats", equalTo(4));
        routing(api, "MANUAL", null, null);

        expectProblem(agent.as().body(Map.of("name", "X")).post("/api/v1/teams"), 403, "forbidden");
        String team = manager.as().body(Map.of("name", "Support")).post("/api/v1/teams").then().statusCode(201).extract().path("id");
        expectProblem(manager.as().body(Map.of("name", "support")).post("/api/v1/teams"), 409, "conflict");
        expectProblem(manager.as().body(Map.of("agentIds", List.of(Api.signUp().owner.id()))).put("/api/v1/teams/" + team + "/members"),
                404, "agent-not-found");
        expectProblem(api.owner.as().get("/api/v1/queue?teamId=" + java.util.UUID.randomUUID()), 404, "team-not-found");
        expectProblem(api.owner.as().body(Map.of("toTeamId", java.util.UUID.randomUUID())).post("/api/v1/chats/" + api.newChat(true)
                + "/transfer"), 404, "team-not-found");
        String chat = api.newChat(true);
        expectProblem(api.owner.as().body(Map.of("toTeamId", team, "toAgentId", agent.id())).post("/api/v1/chats/" + chat + "/transfer"),
                400, "validation-failed");
        expectProblem(agent.as().body(Map.of("toTeamId", team)).post("/api/v1/chats/" + api.chatHeldBy(manager) + "/transfer"), 403,
                "not-chat-holder");
        manager.as().body(Map.of("name", "Care")).patch("/api/v1/teams/" + team).then().statusCode(200).body("name", equalTo("Care"));
        assertNotEquals(0, agent.as().get("/api/v1/teams").jsonPath().getList("").size());
    }
}
