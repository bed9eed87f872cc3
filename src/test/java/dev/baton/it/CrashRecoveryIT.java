package dev.baton.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.baton.support.Api;
import dev.baton.support.Api.RawResponse;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * Nothing acknowledged is lost: customer messages and replies pour in from several threads, the
 * packaged service is killed with SIGKILL mid-load, and a new instance starts on the same database.
 * Every call that got a 2xx is in its timeline exactly once, seqs have no gaps, calls whose answer
 * was lost can be retried safely (idempotency keys), and a socket client recovers every entry by seq.
 */
class CrashRecoveryIT {

    private static final int CHATS = 3;
    private static final int WRITERS = 4;

    @RegisterExtension
    static final PackagedStack stack = new PackagedStack();

    /** One write: what was sent, and what the client learnt (status -1: the connection broke, outcome unknown). */
    record Write(String chatId, boolean inbound, String key, String phone, int status) {
    }

    @AfterEach
    void resetPort() {
        RestAssured.reset();
    }

    @Test
    void shouldKeepEveryAcknowledgedMessageAcrossAKill9() throws Exception {
        RestAssured.port = stack.baton().port();
        Api api = Api.signUp();
        Staff owner = api.owner;
        List<String> chats = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < CHATS; i++) {
            String phone = Api.randomPhone();
            String chatId = api.inbound(phone, "Hi", true).then().statusCode(201).extract().path("chatId");
            Api.act(owner, chatId, "intervene").then().statusCode(200);
            chats.add(chatId);
            phones.add(phone);
        }
        String channelToken = api.channelToken();
        Client before = Sockets.connect(stack.baton().port(), "/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + owner.token()));
        Map<String, Long> seqAtConnect = new java.util.HashMap<>();
        for (Object held : before.next("inbox.snapshot").getJsonObject("data").getJsonArray("chats")) {
            seqAtConnect.put(((JsonObject) held).getString("id"), ((JsonObject) held).getLong("lastSeq"));
        }

        int port = stack.baton().port();
        AtomicBoolean stop = new AtomicBoolean();
        List<Write> writes = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            boolean inbound = w % 2 == 0;
            int writer = w;
            writers.add(pool.submit(() -> {
                for (int n = 0; !stop.get(); n++) {
                    int chat = (writer + n) % CHATS;
                    String key = "w" + writer + "-" + n;
                    Write write = write(port, inbound, chats.get(chat), phones.get(chat), key, inbound ? channelToken : owner.token());
                    writes.add(write);
                    if (write.status == -1) {
                        break; // the process is gone
                    }
                }
                return null;
            }));
        }
        // Kill once the load is well under way (at least 2 s and 40 acknowledged writes), not after a
        // fixed time: on a busy machine 2 s saw as few as 20 writes.
        Thread.sleep(2_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            synchronized (writes) {
                return writes.stream().filter(w -> w.status / 100 == 2).count() > 40;
            }
        });
        stack.baton().kill9();
        Thread.sleep(300);
        stop.set(true);
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        before.closed.get(10, TimeUnit.SECONDS); // the socket dies with the process
        List<JsonObject> seenBefore = before.drain(100);

        PackagedBaton restarted = stack.startInstance();
        RestAssured.port = restarted.port();
        List<Write> unknown = writes.stream().filter(w -> w.status == -1).toList();
        List<Write> acknowledged = writes.stream().filter(w -> w.status / 100 == 2).toList();
        List<Write> refused = writes.stream().filter(w -> w.status != -1 && w.status / 100 != 2).toList();
        assertTrue(refused.isEmpty(), "every write should succeed or die with the process: " + refused);
        assertTrue(acknowledged.size() > 20, "the load should get going before the kill: " + acknowledged.size());

        // Calls whose answer was lost are retried with the same idempotency key: applied exactly once either way.
        for (Write w : unknown) {
            Write retried = write(restarted.port(), w.inbound, w.chatId, w.phone, w.key, w.inbound ? channelToken : owner.token());
            assertEquals(201, retried.status, "retry of " + w.key);
        }

        int entries = 0;
        for (String chatId : chats) {
            List<Map<String, Object>> timeline = Api.timeline(owner, chatId);
            entries += timeline.size();
            for (int i = 0; i < timeline.size(); i++) {
                assertEquals(i + 1, ((Number) timeline.get(i).get("seq")).intValue(), "seqs of chat " + chatId + " have a gap");
            }
            for (Write w : writes) {
                if (!w.chatId.equals(chatId)) {
                    continue;
                }
                String field = w.inbound ? "externalId" : "clientMessageId";
                long copies = timeline.stream().filter(e -> w.key.equals(e.get(field))).count();
                assertEquals(1, copies, (w.status == -1 ? "retried " : "acknowledged ") + w.key + " in chat " + chatId);
            }
        }

        // The client reconnects and fills in everything it missed by seq.
        Client after = Sockets.connect(restarted.port(), "/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + owner.token()));
        JsonObject snapshot = after.next("inbox.snapshot");
        int recovered = 0;
        for (Object held : snapshot.getJsonObject("data").getJsonArray("chats")) {
            JsonObject chat = (JsonObject) held;
            String chatId = chat.getString("id");
            TreeSet<Long> seqs = new TreeSet<>();
            for (long seq = 1; seq <= seqAtConnect.get(chatId); seq++) {
                seqs.add(seq);
            }
            seenBefore.stream().filter(f -> chatId.equals(f.getString("chatId")) && f.getLong("seq") != null)
                    .forEach(f -> seqs.add(f.getLong("seq")));
            List<Long> missed = catchUp(owner, chatId, contiguousFrom(seqs));
            recovered += missed.size();
            seqs.addAll(missed);
            assertEquals(chat.getLong("lastSeq"), (long) seqs.size(), "chat " + chatId + " fully recovered by seq");
            assertEquals(chat.getLong("lastSeq"), seqs.last());
        }
        assertEquals(CHATS, snapshot.getJsonObject("data").getJsonArray("chats").size());
        after.close();
        System.out.printf("crash recovery: %d writes (%d acknowledged, %d lost answers retried), %d entries in %d chats, "
                + "0 lost, 0 duplicated, 0 gaps; socket saw %d frames before the kill and recovered %d entries by seq%n",
                writes.size(), acknowledged.size(), unknown.size(), entries, CHATS, seenBefore.size(), recovered);
    }

    private static Write write(int port, boolean inbound, String chatId, String phone, String key, String token) {
        JsonObject body = inbound
                ? new JsonObject().put("externalId", key).put("customer", new JsonObject().put("phone", phone)).put("text", "msg " + key)
                : new JsonObject().put("text", "reply " + key).put("clientMessageId", key);
        String path = inbound ? "/api/v1/inbound/messages" : "/api/v1/chats/" + chatId + "/messages";
        try {
            RawResponse response = Api.raw(port, "POST", path, token, body.encode().getBytes(StandardCharsets.UTF_8), false);
            return new Write(chatId, inbound, key, phone, response.status());
        } catch (RuntimeException connectionBroke) {
            return new Write(chatId, inbound, key, phone, -1);
        }
    }

    /** What a client does after a gap: {@code GET /chats/{id}/timeline?after=<last seq seen>}, page by page. */
    private static List<Long> catchUp(Staff who, String chatId, long after) {
        List<Long> seqs = new ArrayList<>();
        Long next = after;
        while (next != null) {
            var page = who.as().get("/api/v1/chats/" + chatId + "/timeline?limit=200&after=" + next).then().statusCode(200).extract();
            List<Number> items = page.jsonPath().getList("items.seq");
            items.forEach(n -> seqs.add(n.longValue()));
            Number more = page.path("next");
            next = more == null ? null : more.longValue();
        }
        return seqs;
    }

    /** The highest seq up to which the socket saw every entry (1..n without a hole). */
    private static long contiguousFrom(TreeSet<Long> seqs) {
        long n = 0;
        for (long seq : seqs) {
            if (seq > n + 1) {
                break;
            }
            n = seq;
        }
        return n;
    }
}
