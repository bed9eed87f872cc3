package dev.baton.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Routing on two packaged instances sharing one PostgreSQL: a randomized mix of hand-offs, releases,
 * resolves, availability flips, limit changes and transfers fired at both at once, then the ledger
 * checked (no agent above its limit through ASSIGN, no chat assigned twice, every waiting chat with an
 * eligible agent assigned, custody chains intact); and the no-reply timer firing once with two
 * instances, and after a restart of both that happened before its deadline.
 * Seed and size: {@code -Dbaton.stress.routing-seed=<n> -Dbaton.stress.routing-ops=<n>}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingIT {

    private static final long SEED = Long.getLong("baton.stress.routing-seed", 13L);
    private static final int OPS = Integer.getInteger("baton.stress.routing-ops", 160);
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @RegisterExtension
    static final PackagedStack stack = new PackagedStack(Map.of("BATON_ROUTING_SWEEP_INTERVAL", "PT1S",
            "BATON_ROUTING_TIMER_POLL", "PT0.2S"));

    @AfterEach
    void resetPort() {
        RestAssured.reset();
    }

    /** One limit change as the client saw it: sent, acknowledged, the value. */
    private record LimitChange(long sentNanos, long ackedNanos, OffsetDateTime sentAt, OffsetDateTime ackedAt, int value) {
    }

    @Test
    @Order(1)
    void shouldKeepTheRoutingInvariantsUnderRandomConcurrencyOnTwoInstances() {
        PackagedBaton second = stack.second();
        int[] ports = { stack.baton().port(), second.port() };
        RestAssured.port = ports[0];
        Api api = Api.signUp();
        as(api.owner, ports[0]).body(Map.of("availability", "BUSY")).put("/api/v1/agents/me/availability").then().statusCode(200);
        List<Staff> agents = new ArrayList<>();
        Map<String, List<LimitChange>> limits = new ConcurrentHashMap<>();
        for (int i = 0; i < 5; i++) {
            Staff agent = api.createAgent("racer" + i, "AGENT");
            agents.add(agent);
            OffsetDateTime now = OffsetDateTime.now();
            limits.put(agent.id(), new CopyOnWriteArrayList<>(List.of(new LimitChange(0, 0, now, now, 2))));
            as(api.owner, ports[0]).body(Map.of("maxChats", 2)).patch("/api/v1/agents/" + agent.id()).then().statusCode(200);
        }
        as(api.owner, ports[0]).body(Map.of("mode", "LEAST_LOADED")).put("/api/v1/routing").then().statusCode(200);

        String channelToken = api.channelToken();
        Random seeds = new Random(SEED);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < OPS; i++) {
            long opSeed = seeds.nextLong();
            int port = ports[i % 2];
            calls.add(() -> operation(api, channelToken, agents, limits, new Random(opSeed), port));
        }
        List<Integer> statuses = Api.inParallel(calls);
        // 503 is the designed answer when a stalled machine cannot lend a database connection in time; nothing else may be 5xx.
        assertTrue(statuses.stream().allMatch(s -> s < 500 || s == 503), "no 5xx: " + statuses);

        // Quiet now: every agent ONLINE again, so every waiting chat has somewhere to go unless all are full.
        for (Staff agent : agents) {
            as(agent, ports[1]).body(Map.of("availability", "ONLINE")).put("/api/v1/agents/me/availability").then().statusCode(200);
        }
        Awaitility.await().atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                .until(() -> waitingWithRoom(api, agents, ports[0]), none -> none);

        List<Map<String, Object>> chats = allChats(api, ports[0]);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Map<String, Object> chat : chats) {
            List<Map<String, Object>> ledger = as(api.owner, ports[0]).get("/api/v1/chats/" + chat.get("id") + "/custody")
                    .then().statusCode(200).extract().jsonPath().getList("items");
            String previousTo = null;
            for (Map<String, Object> entry : ledger) {
                Map<?, ?> custody = (Map<?, ?>) entry.get("custody");
                assertEquals(previousTo, id(custody.get("from")), "chain broken in chat " + chat.get("id") + ": " + ledger);
                previousTo = id(custody.get("to"));
                if ("ASSIGN".equals(custody.get("action"))) {
                    assertEquals(null, id(custody.get("from")), "assigned while held: " + ledger);
                }
                entries.add(entry);
            }
            assertEquals(previousTo, id(chat.get("holder")), "holder is the ledger's last 'to'");
        }
        long assigns = entries.stream().filter(e -> "ASSIGN".equals(((Map<?, ?>) e.get("custody")).get("action"))).count();
        assertTrue(assigns > 0, "the run assigned nothing");
        checkNoAssignAboveLimit(entries, limits);
        System.out.printf("RoutingIT seed %d: %d operations, %d chats, %d automatic assignments%n", SEED, OPS, chats.size(), assigns);
    }

    @Test
    @Order(2)
    void shouldFireNoReplyTimersOnceWithTwoInstancesAndAfterARestartBeforeTheirDeadline() {
        PackagedBaton second = stack.second();
        int[] ports = { stack.baton().port(), second.port() };
        RestAssured.port = ports[0];
        Api api = Api.signUp();
        Staff agent = api.createAgent("slow", "AGENT");
        as(api.owner, ports[0]).body(Map.of("mode", "MANUAL", "noReplyTimeout", "PT2S")).put("/api/v1/routing").then().statusCode(200);
        List<String> held = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String chat = api.newChat(true);
            as(agent, ports[i % 2]).post("/api/v1/chats/" + chat + "/intervene").then().statusCode(200);
            held.add(chat);
        }
        for (String chat : held) {
            Awaitility.await().atMost(SETTLE).until(() -> "REQUESTING".equals(status(api, chat, ports[1])));
        }
        // Both instances kept polling after the firing: still one REQUEUE per chat.
        Awaitility.await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        for (String chat : held) {
            assertEquals(1, requeues(api, chat, ports[0]), "chat " + chat);
        }

        // Armed, then every instance dies before the deadline; a new instance fires it.
        as(api.owner, ports[0]).body(Map.of("mode", "MANUAL", "noReplyTimeout", "PT5S")).put("/api/v1/routing").then().statusCode(200);
        String chat = held.get(0);
        as(agent, ports[0]).post("/api/v1/chats/" + chat + "/intervene").then().statusCode(200);
        stack.baton().kill9();
        second.kill9();
        PackagedBaton restarted = stack.startInstance();
        RestAssured.port = restarted.port();
        Awaitility.await().atMost(SETTLE).until(() -> "REQUESTING".equals(status(api, chat, restarted.port())));
        assertEquals(2, requeues(api, chat, restarted.port()));
    }

    private static int operation(Api api, String channelToken, List<Staff> agents, Map<String, List<LimitChange>> limits, Random random, int port) {
        Staff agent = agents.get(random.nextInt(agents.size()));
        switch (random.nextInt(6)) {
            case 0, 1 -> {
                return given().port(port).contentType(ContentType.JSON).header("Authorization", "Bearer " + channelToken)
                        .body(Map.of("externalId", java.util.UUID.randomUUID().toString(),
                                "customer", Map.of("phone", Api.randomPhone()), "text", "help", "handoff", true))
                        .post("/api/v1/inbound/messages").statusCode();
            }
            case 2 -> {
                String chat = aHeldChat(agent, port);
                return chat == null ? 200 : as(agent, port).post("/api/v1/chats/" + chat + "/" + (random.nextBoolean() ? "release" : "resolve"))
                        .statusCode();
            }
            case 3 -> {
                return as(agent, port).body(Map.of("availability", random.nextBoolean() ? "ONLINE" : "BUSY"))
                        .put("/api/v1/agents/me/availability").statusCode();
            }
            case 4 -> {
                int value = 1 + random.nextInt(3);
                long sent = System.nanoTime();
                OffsetDateTime sentAt = OffsetDateTime.now();
                int status = as(api.owner, port).body(Map.of("maxChats", value)).patch("/api/v1/agents/" + agent.id()).statusCode();
                limits.get(agent.id()).add(new LimitChange(sent, System.nanoTime(), sentAt, OffsetDateTime.now(), value));
                return status;
            }
            default -> {
                String chat = aHeldChat(agents.get(random.nextInt(agents.size())), port);
                return chat == null ? 200 : as(api.owner, port).body(Map.of("toAgentId", agent.id()))
                        .post("/api/v1/chats/" + chat + "/transfer").statusCode();
            }
        }
    }

    /**
     * Replays every custody entry in time order: after each ASSIGN its agent holds at most the highest
     * limit that could have been in force then (the last acknowledged one, or one still in flight).
     * Increases to one agent are ordered by its load-row lock, so the replay never undercounts them.
     */
    private static void checkNoAssignAboveLimit(List<Map<String, Object>> entries, Map<String, List<LimitChange>> limits) {
        entries.sort(Comparator.comparing(e -> OffsetDateTime.parse((String) e.get("at"))));
        Map<String, Integer> load = new HashMap<>();
        for (Map<String, Object> entry : entries) {
            Map<?, ?> custody = (Map<?, ?>) entry.get("custody");
            String from = id(custody.get("from"));
            String to = id(custody.get("to"));
            if (from != null) {
                load.merge(from, -1, Integer::sum);
            }
            if (to != null) {
                load.merge(to, 1, Integer::sum);
            }
            if ("ASSIGN".equals(custody.get("action"))) {
                OffsetDateTime at = OffsetDateTime.parse((String) entry.get("at"));
                int bound = bound(limits.get(to), at);
                assertTrue(load.get(to) <= bound, "ASSIGN at " + at + " gave agent " + to + " chat " + entry.get("chatId") + " load "
                        + load.get(to) + " above its limit " + bound);
            }
        }
    }

    private static int bound(List<LimitChange> changes, OffsetDateTime at) {
        int lastAcked = 0;
        int inFlight = 0;
        OffsetDateTime lastAckedAt = null;
        for (LimitChange c : changes) {
            if (!c.ackedAt().isAfter(at) && (lastAckedAt == null || c.ackedAt().isAfter(lastAckedAt))) {
                lastAcked = c.value();
                lastAckedAt = c.ackedAt();
            }
            if (!c.sentAt().isAfter(at) && c.ackedAt().isAfter(at)) {
                inFlight = Math.max(inFlight, c.value());
            }
        }
        return Math.max(lastAcked, inFlight);
    }

    /** True when no waiting chat has an eligible agent (all agents are ONLINE now, no teams): every agent is full, or none waits. */
    private static boolean waitingWithRoom(Api api, List<Staff> agents, int port) {
        int waiting = as(api.owner, port).get("/api/v1/queue?limit=200").then().statusCode(200).extract().jsonPath().getList("items").size();
        if (waiting == 0) {
            return true;
        }
        List<Map<String, Object>> all = as(api.owner, port).get("/api/v1/agents").jsonPath().getList("");
        for (Map<String, Object> a : all) {
            if (agents.stream().anyMatch(s -> s.id().equals(a.get("id")))) {
                int held = as(api.owner, port).get("/api/v1/chats?status=INTERVENED&limit=200&holderId=" + a.get("id"))
                        .jsonPath().getList("items").size();
                if (held < (Integer) a.get("maxChats")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String aHeldChat(Staff agent, int port) {
        List<String> held = as(agent, port).get("/api/v1/chats?status=INTERVENED&limit=20&holderId=" + agent.id())
                .jsonPath().getList("items.id");
        return held == null || held.isEmpty() ? null : held.get(0);
    }

    private static List<Map<String, Object>> allChats(Api api, int port) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            Response page = as(api.owner, port).get("/api/v1/chats?limit=200" + (cursor == null ? "" : "&cursor=" + cursor));
            all.addAll(page.jsonPath().getList("items"));
            cursor = page.path("next");
        } while (cursor != null);
        return all;
    }

    private static String status(Api api, String chat, int port) {
        return as(api.owner, port).get("/api/v1/chats/" + chat).then().statusCode(200).extract().path("status");
    }

    private static long requeues(Api api, String chat, int port) {
        return as(api.owner, port).get("/api/v1/chats/" + chat + "/custody").jsonPath().getList("items.custody.action").stream()
                .filter("REQUEUE"::equals).count();
    }

    private static String id(Object person) {
        return person == null ? null : (String) ((Map<?, ?>) person).get("id");
    }

    private static io.restassured.specification.RequestSpecification as(Staff who, int port) {
        return who.as().port(port);
    }
}
