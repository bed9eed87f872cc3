package dev.baton.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.baton.support.Api;
import dev.baton.support.Metrics;
import dev.baton.support.Api.RawResponse;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * PostgreSQL stops for several seconds under light load, then comes back. Meanwhile every request
 * fails fast with 503 problem+json (never a 500, never a hang), readiness goes DOWN and UP again,
 * the process is never restarted, nothing acknowledged is lost, and real-time delivery resumes for a
 * socket that stayed connected through the outage and for one connected after it.
 */
class DatabaseOutageIT {

    /** The longest any request may take while the database is away. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(5);
    private static final Duration OUTAGE = Duration.ofSeconds(6);

    @RegisterExtension
    static final PackagedStack stack = new PackagedStack();

    record Call(String kind, String key, long millis, RawResponse response) {
    }

    @AfterEach
    void resetPort() {
        RestAssured.reset();
        Metrics.port = 0;
    }

    @Test
    void shouldFailFastWith503AndRecoverWithoutLosingAnything() throws Exception {
        PackagedBaton baton = stack.baton();
        long pid = baton.process().pid();
        RestAssured.port = baton.port();
        Metrics.port = baton.managementPort();
        Api api = Api.signUp();
        Staff owner = api.owner;
        String phone = Api.randomPhone();
        String chatId = api.inbound(phone, "Hi", true).then().statusCode(201).extract().path("chatId");
        Api.act(owner, chatId, "intervene").then().statusCode(200);
        String channelToken = api.channelToken();
        Client throughOutage = Sockets.connect(baton.port(), "/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + owner.token()));
        throughOutage.next("inbox.snapshot");

        AtomicBoolean stop = new AtomicBoolean();
        List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> load = new ArrayList<>();
        load.add(pool.submit(() -> drive(stop, calls, n -> call(baton.port(), "reply", "r" + n, "/api/v1/chats/" + chatId + "/messages",
                owner.token(), new JsonObject().put("text", "reply " + n).put("clientMessageId", "r" + n)))));
        load.add(pool.submit(() -> drive(stop, calls, n -> call(baton.port(), "inbound", "i" + n, "/api/v1/inbound/messages", channelToken,
                new JsonObject().put("externalId", "i" + n).put("customer", new JsonObject().put("phone", phone)).put("text", "msg " + n)))));
        load.add(pool.submit(() -> drive(stop, calls, n -> call(baton.port(), "read", null, "/api/v1/chats/" + chatId + "/timeline?limit=5",
                owner.token(), null))));

        Thread.sleep(1_500);
        stack.postgres().stop();
        long outageStart = System.nanoTime();
        int firstDuringOutage = calls.size();
        await().atMost(Duration.ofSeconds(15)).until(() -> baton.health("ready"), equalTo(503));
        // A socket opened meanwhile is told to try again later: refused with 503 at the upgrade, or closed
        // with 1013 once its snapshot cannot be read — never 1011 with an ERROR line.
        try {
            Client during = Sockets.connect(baton.port(), "/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + owner.token()));
            assertEquals((short) 1013, during.closed.get(30, TimeUnit.SECONDS), "close code of a socket opened during the outage");
        } catch (IllegalStateException refused) {
            assertTrue(String.valueOf(refused.getMessage()).contains("503"), "upgrade during the outage: " + refused.getMessage());
        }
        long remaining = OUTAGE.toMillis() - (System.nanoTime() - outageStart) / 1_000_000;
        Thread.sleep(Math.max(0, remaining));
        int lastDuringOutage = calls.size();
        stack.postgres().restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> baton.health("ready"), equalTo(200));
        Thread.sleep(1_500);
        stop.set(true);
        for (Future<?> f : load) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<String> problems = new ArrayList<>();
        List<Call> outage = calls.subList(firstDuringOutage, lastDuringOutage);
        long unavailable = outage.stream().filter(c -> c.response != null && c.response.status() == 503).count();
        long slowest = 0;
        for (Call c : calls) {
            slowest = Math.max(slowest, c.millis);
            if (c.response == null) {
                problems.add(c.kind + " " + c.key + ": no answer within " + c.millis + " ms");
            } else if (c.response.status() >= 500 && (c.response.status() != 503
                    || !c.response.contentType().startsWith("application/problem+json")
                    || !"service-unavailable".equals(c.response.code()))) {
                problems.add(c.kind + " " + c.key + ": " + c.response.status() + " " + c.response.body());
            }
            if (c.millis > FAIL_FAST.toMillis()) {
                problems.add(c.kind + " " + c.key + " took " + c.millis + " ms");
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems: " + problems.subList(0, Math.min(10, problems.size())));
        assertTrue(unavailable > 0, "requests during the outage should have been answered 503");
        assertEquals(List.of(), baton.logText().lines().filter(line -> line.contains("ERROR") && line.contains("socket")).toList(),
                "socket errors logged as ERROR during the outage");
        assertEquals(pid, baton.process().pid());
        assertTrue(baton.process().isAlive(), "no restart was needed");

        // Production logs are one JSON object per line, and a warning raised inside a staff request
        // carries its caller's workspace and agent ids (and nothing of another workspace).
        List<JsonObject> warnings = baton.logText().lines().filter(line -> line.startsWith("{")).map(JsonObject::new)
                .filter(line -> line.getString("message", "").startsWith("database unavailable")).toList();
        assertTrue(warnings.stream().map(line -> line.getJsonObject("mdc")).anyMatch(mdc -> mdc != null
                && api.workspaceId.equals(mdc.getString("workspaceId")) && owner.id().equals(mdc.getString("agentId"))),
                "no 'database unavailable' log line tagged with the owner's ids among " + warnings.size());
        assertTrue(warnings.stream().map(line -> line.getJsonObject("mdc")).allMatch(mdc -> mdc == null
                || mdc.getString("workspaceId") == null || api.workspaceId.equals(mdc.getString("workspaceId"))));

        // Nothing acknowledged is lost.
        List<Map<String, Object>> timeline = Api.timeline(owner, chatId);
        int acknowledged = 0;
        for (Call c : calls) {
            if (c.key == null || c.response == null || c.response.status() / 100 != 2) {
                continue;
            }
            acknowledged++;
            String field = c.kind.equals("inbound") ? "externalId" : "clientMessageId";
            long copies = timeline.stream().filter(e -> c.key.equals(e.get(field))).count();
            assertEquals(1, copies, c.kind + " " + c.key + " acknowledged");
        }
        for (int i = 0; i < timeline.size(); i++) {
            assertEquals(i + 1, ((Number) timeline.get(i).get("seq")).intValue(), "seqs have a gap");
        }

        // Real time resumes: the LISTEN connection and the dispatcher are back, for old and new sockets.
        throughOutage.drain(300);
        Client afterOutage = Sockets.connect(baton.port(), "/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + owner.token()));
        afterOutage.next("inbox.snapshot");
        Api.reply(owner, chatId, "after the outage").then().statusCode(201);
        assertEquals("after the outage", textOfNext(throughOutage));
        assertEquals("after the outage", textOfNext(afterOutage));
        afterOutage.close();
        throughOutage.close();
        assertTrue(Metrics.sample("baton_listen_reconnects_total", "") >= 1, "the LISTEN reconnect is counted");
        System.out.printf("database outage: %d calls (%d during the %d s outage, %d of them 503), %d acknowledged and all kept, "
                + "slowest answer %d ms, 0 5xx other than 503, readiness DOWN then UP, same process, sockets delivered after recovery%n",
                calls.size(), outage.size(), OUTAGE.toSeconds(), unavailable, acknowledged, slowest);
    }

    private static String textOfNext(Client client) throws InterruptedException {
        while (true) {
            JsonObject frame = client.next("message.created");
            if ("OUTBOUND".equals(frame.getJsonObject("data").getString("kind"))
                    && "after the outage".equals(frame.getJsonObject("data").getString("text"))) {
                return frame.getJsonObject("data").getString("text");
            }
        }
    }

    private static Void drive(AtomicBoolean stop, List<Call> calls, java.util.function.IntFunction<Call> call) throws InterruptedException {
        for (int n = 0; !stop.get(); n++) {
            calls.add(call.apply(n));
            Thread.sleep(50);
        }
        return null;
    }

    private static Call call(int port, String kind, String key, String path, String token, JsonObject body) {
        long start = System.nanoTime();
        RawResponse response;
        try {
            response = Api.raw(port, body == null ? "GET" : "POST", path, token,
                    body == null ? null : body.encode().getBytes(StandardCharsets.UTF_8), false);
        } catch (RuntimeException timedOutOrBroken) {
            response = null;
        }
        return new Call(kind, key, (System.nanoTime() - start) / 1_000_000, response);
    }
}
