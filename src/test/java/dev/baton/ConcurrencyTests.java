package dev.baton;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Many conflicting transitions and replies at one chat at once, against the real PostgreSQL:
 * custody stays one chain, seqs stay gap-free, refusals change nothing, and every reply was
 * written by whoever held the chat at that point.
 */
@QuarkusTest
class ConcurrencyTests {

    private static final int CALLS = 240;
    private static final int INBOUND = 12;
    private static final List<String> ACTIONS = List.of("intervene", "takeover", "transfer", "release", "resolve", "reopen");
    private static final Set<String> REFUSALS = Set.of("not-chat-holder", "forbidden", "invalid-transition", "same-holder",
            "agent-offline", "conflict");

    /** One call and its answer. {@code kind} is an action name, "reply" or "inbound". */
    record Call(String kind, Staff who, int status, String code, String text, Long seq) {
        boolean succeeded() {
            return status / 100 == 2;
        }
    }

    @Test
    void shouldKeepOneCustodyChainAndGapFreeTimelineUnderConflictingCalls() {
        Api api = Api.signUp();
        List<Staff> staff = List.of(api.owner, api.createAgent("manager1", "MANAGER"), api.createAgent("manager2", "MANAGER"),
                api.createAgent("agent1", "AGENT"), api.createAgent("agent2", "AGENT"), api.createAgent("agent3", "AGENT"));
        String phone = Api.randomPhone();
        String chatId = api.inbound(phone, "first message", true).then().statusCode(201).extract().path("chatId");

        List<Call> calls = new ArrayList<>(Api.inParallel(plan(api, staff, chatId, phone)));
        calls.add(0, new Call("inbound", null, 201, null, "first message", null));

        assertNoServerErrorAndOnlyKnownRefusals(calls);
        Map<String, Object> chat = Api.chat(api.owner, chatId).then().statusCode(200).extract().jsonPath().getMap("");
        List<Map<String, Object>> ledger = Api.custody(api.owner, chatId);
        List<Map<String, Object>> timeline = Api.timeline(api.owner, chatId);

        assertOneChain(ledger);
        assertEquals(ledger.isEmpty() ? null : id(ledger.get(ledger.size() - 1), "custody", "to"), id(chat, "holder"),
                "the holder is the last ledger entry's 'to'");
        assertEquals(ledger.size(), ((Number) chat.get("version")).intValue(), "version counts custody entries");
        for (int i = 0; i < timeline.size(); i++) {
            assertEquals(i + 1, ((Number) timeline.get(i).get("seq")).intValue(), "seqs are gap-free from 1");
        }
        assertEquals(count(calls, c -> ACTIONS.contains(c.kind()) && c.succeeded()),
                ledger.stream().filter(e -> e.get("author") != null).count(), "every 2xx transition wrote one custody entry");
        assertEquals(count(calls, c -> c.kind().equals("inbound") && c.succeeded()), kind(timeline, "INBOUND"));
        assertEquals(count(calls, c -> c.kind().equals("reply") && c.succeeded()), kind(timeline, "OUTBOUND"));
        assertEquals(kind(timeline, "INBOUND") + kind(timeline, "OUTBOUND") + ledger.size(), timeline.size(),
                "nothing but inbound messages, accepted replies and custody changes");
        assertEveryAcceptedReplyOnceAtItsSeq(calls, timeline);
        assertEveryReplyByTheHolderOfTheMoment(timeline);
        assertTrue(ledger.size() > 10, "the run should move the chat around; only " + ledger.size() + " changes");
    }

    @Test
    void shouldNeverLeaveAChatWithADeactivatedHolder() {
        Api api = Api.signUp();
        for (int round = 0; round < 3; round++) {
            Staff leaving = api.createAgent("leaving" + round, "AGENT");
            List<String> chats = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                chats.add(api.newChat(true));
            }
            List<Callable<Call>> plan = new ArrayList<>();
            for (int i = 0; i < chats.size(); i++) {
                String chatId = chats.get(i);
                plan.add(() -> call("intervene", leaving, Api.act(leaving, chatId, "intervene"), null));
                plan.add(() -> call("transfer", api.owner, Api.transfer(api.owner, chatId, leaving.id(), true), null));
                if (i == chats.size() / 2) {
                    plan.add(() -> call("deactivate", api.owner, api.owner.as().body(Map.of("active", false))
                            .patch("/api/v1/agents/" + leaving.id()), null));
                }
            }
            List<Call> calls = Api.inParallel(plan);
            calls.forEach(c -> assertTrue(c.status() < 500, c.kind() + " answered " + c.status() + " " + c.code()));
            Call deactivation = calls.stream().filter(c -> c.kind().equals("deactivate")).findFirst().orElseThrow();
            assertTrue(deactivation.succeeded(), "deactivation answered " + deactivation.status() + " " + deactivation.code());
            api.owner.as().get("/api/v1/chats?limit=200&holderId=" + leaving.id()).then().statusCode(200)
                    .body("items.size()", equalTo(0));
            for (String chatId : chats) {
                assertOneChain(Api.custody(api.owner, chatId));
            }
        }
    }

    @Test
    void shouldCreateAUsernameOnceWhenRequestedConcurrently() {
        Api api = Api.signUp();
        Map<String, Object> agent = Map.of("username", "twin", "displayName", "Twin", "password", Api.DEFAULT_PASSWORD, "role", "AGENT");
        List<Call> calls = Api.inParallel(Collections.nCopies(12,
                () -> call("create", api.owner, api.owner.as().body(agent).post("/api/v1/agents"), null)));
        assertEquals(1, count(calls, Call::succeeded), calls.toString());
        calls.stream().filter(c -> !c.succeeded()).forEach(c -> assertEquals(List.of(409, "conflict"), List.of(c.status(), c.code())));
        List<String> usernames = api.owner.as().get("/api/v1/agents").path("username");
        assertEquals(List.of("owner", "twin"), usernames);
    }

    /** A seeded mix of every action, replies and customer messages, by every role. */
    private static List<Callable<Call>> plan(Api api, List<Staff> staff, String chatId, String phone) {
        Random random = new Random(42);
        List<Callable<Call>> plan = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            Staff who = staff.get(random.nextInt(staff.size()));
            int pick = random.nextInt(ACTIONS.size() + 2);
            if (pick >= ACTIONS.size()) {
                String text = "reply " + i + " by " + who.username();
                plan.add(() -> call("reply", who, Api.reply(who, chatId, text), text));
            } else if (ACTIONS.get(pick).equals("transfer")) {
                Staff target = staff.get(random.nextInt(staff.size()));
                plan.add(() -> call("transfer", who, Api.transfer(who, chatId, target.id(), true), null));
            } else {
                String action = ACTIONS.get(pick);
                plan.add(() -> call(action, who, Api.act(who, chatId, action), null));
            }
            if (i % (CALLS / INBOUND) == 0) {
                String text = "customer message " + i;
                boolean handoff = random.nextBoolean();
                plan.add(() -> call("inbound", null, api.inbound(phone, text, handoff), text));
            }
        }
        return plan;
    }

    private static Call call(String kind, Staff who, Response r, String text) {
        boolean ok = r.statusCode() / 100 == 2;
        Number seq = ok && kind.equals("reply") ? r.path("seq") : null;
        return new Call(kind, who, r.statusCode(), ok ? null : r.path("code"), text, seq == null ? null : seq.longValue());
    }

    private static void assertNoServerErrorAndOnlyKnownRefusals(List<Call> calls) {
        for (Call c : calls) {
            assertTrue(c.status() < 500, c.kind() + " answered " + c.status() + " " + c.code());
            if (!c.succeeded()) {
                assertTrue(REFUSALS.contains(c.code()), c.kind() + " refused with " + c.status() + " " + c.code());
            }
        }
    }

    /** Each entry's {@code from} is the previous entry's {@code to}; the first starts from nobody. */
    private static void assertOneChain(List<Map<String, Object>> ledger) {
        Object holder = null;
        for (Map<String, Object> entry : ledger) {
            assertEquals(holder, id(entry, "custody", "from"), "ledger broken at seq " + entry.get("seq"));
            holder = id(entry, "custody", "to");
        }
    }

    private static void assertEveryAcceptedReplyOnceAtItsSeq(List<Call> calls, List<Map<String, Object>> timeline) {
        Map<String, List<Long>> seqsByText = new HashMap<>();
        timeline.stream().filter(e -> "OUTBOUND".equals(e.get("kind")))
                .forEach(e -> seqsByText.computeIfAbsent((String) e.get("text"), t -> new ArrayList<>())
                        .add(((Number) e.get("seq")).longValue()));
        for (Call c : calls) {
            if (c.kind().equals("reply")) {
                assertEquals(c.succeeded() ? List.of(c.seq()) : null, seqsByText.get(c.text()), c.text());
            }
        }
    }

    private static void assertEveryReplyByTheHolderOfTheMoment(List<Map<String, Object>> timeline) {
        Object holder = null;
        for (Map<String, Object> entry : timeline) {
            if ("CUSTODY".equals(entry.get("kind"))) {
                holder = id(entry, "custody", "to");
            } else if ("OUTBOUND".equals(entry.get("kind"))) {
                assertEquals(holder, id(entry, "author"), "reply at seq " + entry.get("seq") + " by a non-holder");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object id(Map<String, Object> map, String... path) {
        Object value = map;
        for (String key : path) {
            value = value == null ? null : ((Map<String, Object>) value).get(key);
        }
        return value == null ? null : ((Map<String, Object>) value).get("id");
    }

    private static long kind(List<Map<String, Object>> timeline, String kind) {
        return timeline.stream().filter(e -> Objects.equals(kind, e.get("kind"))).count();
    }

    private static long count(List<Call> calls, Predicate<Call> which) {
        return calls.stream().filter(which).count();
    }
}
