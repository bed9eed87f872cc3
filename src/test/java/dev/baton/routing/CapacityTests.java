package dev.baton.routing;

import static dev.baton.support.Api.expectProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import io.quarkus.test.junit.QuarkusTest;

/**
 * PRODUCT.md "Capacity": {@code maxChats} set by owners and managers, and the 409 agent-at-capacity
 * refusals of transfers and of an AGENT's intervene, raced as well as one by one.
 * Race rounds: {@code -Dbaton.stress.capacity-rounds=<n>}.
 */
@QuarkusTest
class CapacityTests {

    private static final int ROUNDS = Integer.getInteger("baton.stress.capacity-rounds", 3);

    static void setMaxChats(Staff who, String agentId, Object maxChats) {
        Map<String, Object> body = new HashMap<>();
        body.put("maxChats", maxChats);
        who.as().body(body).patch("/api/v1/agents/" + agentId).then().statusCode(200);
    }

    @Test
    void shouldLetOwnersAndManagersSetMaxChatsAndNobodyElse() {
        Api api = Api.signUp();
        Staff manager = api.createAgent("manager", "MANAGER");
        Staff agent = api.createAgent("agent", "AGENT");

        setMaxChats(manager, agent.id(), 3);
        agent.as().get("/api/v1/agents/me").then().body("maxChats", equalTo(3));
        // Absent leaves it; null clears it back to the workspace default.
        api.owner.as().body(Map.of("displayName", "Renamed")).patch("/api/v1/agents/" + agent.id())
                .then().statusCode(200).body("maxChats", equalTo(3));
        setMaxChats(api.owner, agent.id(), null);
        agent.as().get("/api/v1/agents/me").then().body("maxChats", nullValue());

        expectProblem(agent.as().body(Map.of("maxChats", 9)).patch("/api/v1/agents/" + agent.id()), 403, "forbidden");
        expectProblem(api.owner.as().body(Map.of("maxChats", -1)).patch("/api/v1/agents/" + agent.id()), 400, "validation-failed");
        expectProblem(api.owner.as().body(Map.of("maxChats", "2")).patch("/api/v1/agents/" + agent.id()), 400, "validation-failed");
        expectProblem(api.owner.as().body("{\"maxChats\": 1.5}").patch("/api/v1/agents/" + agent.id()), 400, "validation-failed");
        agent.as().get("/api/v1/agents/me").then().body("maxChats", nullValue());
    }

    /** The list of agents carries each one's load, as "Transfer to" shows it; the agent itself carries none. */
    @Test
    void shouldListEachAgentWithTheChatsItHoldsNow() {
        Api api = Api.signUp();
        Staff busy = api.createAgent("busy", "AGENT");
        Staff idle = api.createAgent("idle", "AGENT");
        api.chatHeldBy(busy);
        String second = api.chatHeldBy(busy);
        api.chatHeldBy(api.owner);
        api.newChat(true);
        Api.act(busy, api.chatHeldBy(busy), "resolve").then().statusCode(200);
        Api.transfer(busy, second, idle.id()).then().statusCode(200);

        for (Staff reader : List.of(api.owner, idle)) {
            reader.as().get("/api/v1/agents").then().statusCode(200)
                    .body("find { it.username == 'busy' }.heldChats", equalTo(1))
                    .body("find { it.username == 'idle' }.heldChats", equalTo(1))
                    .body("find { it.username == 'owner' }.heldChats", equalTo(1));
        }
        busy.as().get("/api/v1/agents/me").then().statusCode(200).body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("heldChats")));
    }

    @Test
    void shouldRefuseAnAgentInterveningAtCapacityAndChangeNothing() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent", "AGENT");
        setMaxChats(api.owner, agent.id(), 1);
        api.chatHeldBy(agent);
        String chat = api.newChat(true);

        expectProblem(Api.act(agent, chat, "intervene"), 409, "agent-at-capacity");
        Api.chat(api.owner, chat).then().body("status", equalTo("REQUESTING")).body("holder", nullValue());
        assertEquals(1, Api.custody(api.owner, chat).size(), "no ledger entry for a refused intervene");

        setMaxChats(api.owner, agent.id(), 0);
        expectProblem(Api.act(agent, chat, "intervene"), 409, "agent-at-capacity");
    }

    @Test
    void shouldNeverLimitOwnersAndManagersActingForThemselves() {
        Api api = Api.signUp();
        Staff manager = api.createAgent("manager", "MANAGER");
        setMaxChats(api.owner, manager.id(), 0);
        setMaxChats(api.owner, api.owner.id(), 0);
        Api.act(manager, api.newChat(true), "intervene").then().statusCode(200);
        Api.transfer(manager, api.newChat(true), manager.id()).then().statusCode(200);
        Api.act(api.owner, api.newChat(true), "intervene").then().statusCode(200);
    }

    @Test
    void shouldRefuseATransferToAnAgentAtCapacityUnlessASupervisorForcesIt() {
        Api api = Api.signUp();
        Staff full = api.createAgent("full", "AGENT");
        Staff other = api.createAgent("other", "AGENT");
        setMaxChats(api.owner, full.id(), 1);
        api.chatHeldBy(full);

        String chat = api.chatHeldBy(other);
        expectProblem(Api.transfer(other, chat, full.id()), 409, "agent-at-capacity");
        expectProblem(Api.transfer(other, chat, full.id(), true), 409, "agent-at-capacity");
        expectProblem(Api.transfer(api.owner, chat, full.id()), 409, "agent-at-capacity");
        Api.chat(api.owner, chat).then().body("holder.id", equalTo(other.id()));

        Api.transfer(api.owner, chat, full.id(), true).then().statusCode(200).body("holder.id", equalTo(full.id()));
    }

    @Test
    void shouldPreferTheTransitionsOwnRefusalOverCapacity() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent", "AGENT");
        setMaxChats(api.owner, agent.id(), 0);
        String resolved = api.newChat(true);
        Api.act(api.owner, resolved, "resolve").then().statusCode(200);
        expectProblem(Api.act(agent, resolved, "intervene"), 409, "invalid-transition");
    }

    @Test
    void shouldNeverExceedMaxChatsUnderRacingIntervenesAndTransfers() {
        Api api = Api.signUp();
        Staff target = api.createAgent("target", "AGENT");
        List<Staff> holders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            holders.add(api.createAgent("holder" + i, "AGENT"));
        }
        for (int round = 0; round < ROUNDS; round++) {
            int limit = round + 1;
            setMaxChats(api.owner, target.id(), limit);
            List<Callable<Integer>> calls = new ArrayList<>();
            for (Staff holder : holders) {
                String chat = api.chatHeldBy(holder);
                calls.add(() -> Api.transfer(holder, chat, target.id()).statusCode());
            }
            for (int i = 0; i < 4; i++) {
                String chat = api.newChat(true);
                calls.add(() -> Api.act(target, chat, "intervene").statusCode());
            }
            List<Integer> statuses = Api.inParallel(calls);
            long won = statuses.stream().filter(s -> s == 200).count();
            assertEquals(statuses.size(), won + statuses.stream().filter(s -> s == 409).count(), statuses.toString());
            long held = heldBy(api, target);
            assertEquals(limit, held, "round " + round + ": " + statuses);
            // Back to zero for the next round.
            for (Map<String, Object> chat : api.owner.as().get("/api/v1/chats?holderId=" + target.id() + "&limit=200")
                    .jsonPath().<Map<String, Object>>getList("items")) {
                Api.act(api.owner, (String) chat.get("id"), "resolve").then().statusCode(200);
            }
        }
    }

    static long heldBy(Api api, Staff agent) {
        return api.owner.as().get("/api/v1/chats?status=INTERVENED&holderId=" + agent.id() + "&limit=200")
                .jsonPath().getList("items").size();
    }
}
