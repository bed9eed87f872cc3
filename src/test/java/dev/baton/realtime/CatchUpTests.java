package dev.baton.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** Events arrive in seq order; a client that drops and reconnects recovers every entry by seq, with no gap. */
@QuarkusTest
class CatchUpTests {

    @Test
    void shouldDeliverOneChatsEntriesInSeqOrder() throws Exception {
        Api api = Api.signUp();
        Staff agent = api.createAgent("orderly", "AGENT");
        String phone = Api.randomPhone();
        String chatId = api.inbound(phone, "first", false).then().statusCode(201).extract().path("chatId");
        Api.act(agent, chatId, "intervene").then().statusCode(200);
        Client inbox = Sockets.inbox(agent.token());
        inbox.next("inbox.snapshot");
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                for (int i = 0; i < 10; i++) {
                    api.inbound(phone, "w" + writer + "-" + i, false).then().statusCode(201);
                }
            });
            writers.add(t);
            t.start();
        }
        for (Thread t : writers) {
            t.join();
        }
        List<Long> seqs = new ArrayList<>();
        while (seqs.size() < 40) {
            seqs.add(inbox.next("message.created").getLong("seq"));
        }
        for (int i = 1; i < seqs.size(); i++) {
            assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "seqs out of order or with a gap: " + seqs);
        }
    }

    @Test
    void shouldRecoverEverythingMissedWhileDisconnected() throws Exception {
        Api api = Api.signUp();
        Staff agent = api.createAgent("reconnecting", "AGENT");
        String phone = Api.randomPhone();
        String chatId = api.inbound(phone, "hello", false).then().statusCode(201).extract().path("chatId");
        Api.act(agent, chatId, "intervene").then().statusCode(200);
        Client inbox = Sockets.inbox(agent.token());
        inbox.next("inbox.snapshot");
        api.inbound(phone, "while connected", false).then().statusCode(201);
        long lastSeen = inbox.next("message.created").getLong("seq");
        inbox.close();

        for (int i = 0; i < 5; i++) {
            api.inbound(phone, "missed " + i, false).then().statusCode(201);
        }

        Client again = Sockets.inbox(agent.token());
        JsonObject snapshot = again.next("inbox.snapshot");
        JsonObject held = snapshot.getJsonObject("data").getJsonArray("chats").getJsonObject(0);
        assertEquals(chatId, held.getString("id"));
        long lastSeq = held.getLong("lastSeq");
        api.inbound(phone, "after reconnect", false).then().statusCode(201);
        long live = again.next("message.created").getLong("seq");

        List<Integer> recovered = agent.as().get("/api/v1/chats/" + chatId + "/timeline?after=" + lastSeen)
                .then().statusCode(200).extract().path("items.seq");
        TreeSet<Long> all = new TreeSet<>();
        for (long s = 1; s <= lastSeen; s++) {
            all.add(s);
        }
        recovered.forEach(s -> all.add(s.longValue()));
        all.add(live);
        assertEquals(lastSeq + 1, live);
        assertEquals(live, all.size(), "every seq from 1 to the live one, exactly once: " + all);
        assertEquals(live, (long) all.last());
    }
}
