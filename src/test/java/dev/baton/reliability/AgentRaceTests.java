package dev.baton.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * An owner's change to an agent raced against that agent's own requests, and owners against each
 * other, each round fired at once; the invariant is read back from the database afterwards.
 * Rounds: {@code -Dbaton.stress.agent-rounds=<n>} (default small, for CI).
 */
@QuarkusTest
class AgentRaceTests {

    private static final int ROUNDS = Integer.getInteger("baton.stress.agent-rounds", 12);

    @Test
    void shouldNeverLetAnAgentsOwnUpdateUndoItsDeactivationOrDemotion() {
        Api api = Api.signUp();
        for (int round = 0; round < ROUNDS; round++) {
            Staff manager = api.createAgent("racer" + round, "MANAGER");
            boolean demote = round % 2 == 1;
            List<Callable<Integer>> calls = new ArrayList<>();
            calls.add(() -> api.owner.as().body(demote ? Map.of("role", "AGENT") : Map.of("active", false))
                    .patch("/api/v1/agents/" + manager.id()).statusCode());
            for (int i = 0; i < 6; i++) {
                String availability = i % 2 == 0 ? "BUSY" : "ONLINE";
                calls.add(() -> manager.as().body(Map.of("availability", availability)).put("/api/v1/agents/me/availability").statusCode());
                calls.add(() -> manager.as().body(Map.of("displayName", "Racer " + availability))
                        .patch("/api/v1/agents/" + manager.id()).statusCode());
            }
            List<Integer> statuses = Api.inParallel(calls);
            assertEquals(200, statuses.get(0), "the owner's change");
            assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 401), statuses.toString());

            Map<String, Object> after = agent(api, manager.id());
            if (demote) {
                assertEquals("AGENT", after.get("role"), "round " + round + ": demotion undone");
            } else {
                assertEquals(false, after.get("active"), "round " + round + ": deactivation undone");
            }
            // Any token from before the change is over, whatever the races did.
            manager.as().get("/api/v1/agents/me").then().statusCode(401);
        }
    }

    @Test
    void shouldNeverLeaveAChatWithAnInactiveHolderWhenAManagerTransfersToItselfWhileDeactivated() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("holder", "AGENT");
        for (int round = 0; round < ROUNDS; round++) {
            Staff manager = api.createAgent("self" + round, "MANAGER");
            String chat = api.chatHeldBy(agent);
            List<Response> answers = Api.inParallel(List.<Callable<Response>>of(
                    () -> Api.transfer(manager, chat, manager.id()),
                    () -> api.owner.as().body(Map.of("active", false)).patch("/api/v1/agents/" + manager.id())));
            assertEquals(200, answers.get(1).statusCode(), answers.get(1).asString());
            Map<String, Object> view = Api.chat(api.owner, chat).then().statusCode(200).extract().jsonPath().getMap("");
            Object holder = view.get("holder") == null ? null : ((Map<?, ?>) view.get("holder")).get("id");
            assertFalse(manager.id().equals(holder), "round " + round + ": the deactivated manager holds the chat");
            List<Map<String, Object>> ledger = Api.custody(api.owner, chat);
            Map<?, ?> last = (Map<?, ?>) ledger.get(ledger.size() - 1).get("custody");
            assertEquals(holder, last.get("to") == null ? null : ((Map<?, ?>) last.get("to")).get("id"), "holder is the ledger's last 'to'");
        }
    }

    @Test
    void shouldAlwaysKeepAnActiveOwnerWhenOwnersDemoteOrDeactivateEachOther() {
        for (int round = 0; round < ROUNDS; round++) {
            Api api = Api.signUp();
            Staff second = api.createAgent("owner2", "OWNER");
            Map<String, Object> change = round % 2 == 0 ? Map.of("role", "MANAGER") : Map.of("active", false);
            List<Integer> statuses = Api.inParallel(List.<Callable<Integer>>of(
                    () -> api.owner.as().body(change).patch("/api/v1/agents/" + second.id()).statusCode(),
                    () -> second.as().body(change).patch("/api/v1/agents/" + api.owner.id()).statusCode()));
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), "exactly one wins: " + statuses);
            // The loser was demoted or deactivated first: its token ended with that change.
            assertTrue(statuses.contains(401), statuses.toString());
            Staff winner = statuses.get(0) == 200 ? api.owner : second;
            List<Map<String, Object>> agents = winner.as().get("/api/v1/agents").then().statusCode(200).extract().jsonPath().getList("$");
            long activeOwners = agents.stream().filter(a -> "OWNER".equals(a.get("role")) && Boolean.TRUE.equals(a.get("active"))).count();
            assertEquals(1, activeOwners, "round " + round + ": " + agents);
        }
    }

    private static Map<String, Object> agent(Api api, String id) {
        List<Map<String, Object>> agents = api.owner.as().get("/api/v1/agents").then().statusCode(200).extract().jsonPath().getList("$");
        return agents.stream().filter(a -> id.equals(a.get("id"))).findFirst().orElseThrow();
    }
}
