package dev.baton.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Sockets opened while the state they depend on changes: a deactivation racing the opening of the
 * agent's sockets, and inbox sockets opened under live traffic (the snapshot must still come first,
 * and a takeover must reach every socket whose snapshot still lists the chat).
 */
@QuarkusTest
class SocketRaceTests {

    private static final int ROUNDS = Integer.getInteger("baton.stress.socket-races", 25);
    private static final int SOCKETS_PER_ROUND = 4;

    @Test
    void shouldNeverLeaveADeactivatedAgentWithALiveSocket() throws Exception {
        Api api = Api.signUp();
        List<Client> accepted = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Staff agent = api.createAgent(Api.unique("leaver"), "AGENT");
            List<Callable<Client>> race = new ArrayList<>();
            for (int i = 0; i < SOCKETS_PER_ROUND; i++) {
                race.add(() -> openOrNull(agent));
            }
            // The deactivation starts a little later each round, so the race covers every stage of the opening.
            long delay = (round % 10) * 15L;
            race.add(() -> {
                Thread.sleep(delay);
                api.owner.as().body(Map.of("active", false)).patch("/api/v1/agents/" + agent.id()).then().statusCode(200);
                return null;
            });
            for (Client client : Api.inParallel(race)) {
                if (client != null) {
                    accepted.add(client);
                }
            }
        }
        // Every agent is inactive now; a chat entering the queue is sent to every staff socket that is still registered.
        String chatId = api.newChat(true);
        int survivors = 0;
        for (Client client : accepted) {
            try {
                client.closed.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                survivors++;
            }
            List<JsonObject> frames = new ArrayList<>(client.frames);
            assertTrue(frames.stream().noneMatch(f -> chatId.equals(f.getString("chatId"))),
                    "a deactivated agent's socket received customer data: " + frames);
        }
        System.out.printf("socket races: %d rounds of %d socket opens against a deactivation: %d upgrades accepted, %d survived%n",
                ROUNDS, SOCKETS_PER_ROUND, accepted.size(), survivors);
        assertTrue(!accepted.isEmpty(), "no socket was accepted: the race was never run");
        assertEquals(0, survivors, "sockets of deactivated agents still open");
    }

    @Test
    void shouldSendTheSnapshotFirstToEverySocketOpenedUnderTraffic() throws Exception {
        Api api = Api.signUp();
        List<Staff> agents = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            Staff agent = api.createAgent(Api.unique("busy"), i % 3 == 0 ? "MANAGER" : "AGENT");
            String chatId = api.newChat(true);
            Api.act(agent, chatId, "intervene").then().statusCode(200);
            agents.add(agent);
            held.add(chatId);
        }
        AtomicBoolean traffic = new AtomicBoolean(true);
        Thread chats = new Thread(() -> {
            while (traffic.get()) {
                api.newChat(true);
            }
        });
        chats.start();
        List<Callable<Client>> opens = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            Staff agent = agents.get(i % agents.size());
            opens.add(() -> Sockets.connect(RestAssured.port, "/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + agent.token())));
        }
        List<Callable<Object>> takeovers = new ArrayList<>();
        for (String chatId : held) {
            takeovers.add(() -> Api.act(api.owner, chatId, "takeover").then().statusCode(200));
        }
        List<Client> clients;
        Thread taking = new Thread(() -> Api.inParallel(takeovers));
        try {
            taking.start();
            clients = Api.inParallel(opens);
            taking.join();
        } finally {
            traffic.set(false);
            chats.join();
        }

        int notFirst = 0;
        int revokedAfterSnapshot = 0;
        try {
            for (Client client : clients) {
                JsonObject first = client.frames.poll(10, TimeUnit.SECONDS);
                if (first == null || !"inbox.snapshot".equals(first.getString("type"))) {
                    notFirst++;
                    continue;
                }
                for (Object listed : first.getJsonObject("data").getJsonArray("chats")) {
                    String chatId = ((JsonObject) listed).getString("id");
                    JsonObject revoked = client.next("chat.revoked");
                    assertEquals(chatId, revoked.getString("chatId"), "the takeover's chat.revoked must follow a snapshot listing the chat");
                    revokedAfterSnapshot++;
                }
            }
        } finally {
            clients.forEach(Client::close);
        }
        System.out.printf("socket races: 150 inbox sockets opened under traffic and 15 takeovers: %d first frames were not the snapshot, "
                + "%d snapshots listed a chat being taken over and then got its chat.revoked%n", notFirst, revokedAfterSnapshot);
        assertEquals(0, notFirst, "sockets whose first frame was not inbox.snapshot");
    }

    private static Client openOrNull(Staff agent) {
        try {
            return Sockets.connect(RestAssured.port, "/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + agent.token()));
        } catch (IllegalStateException failed) {
            if (failed.getCause() instanceof java.util.concurrent.ExecutionException e
                    && e.getCause() instanceof io.vertx.core.http.UpgradeRejectedException rejected && rejected.getStatus() == 401) {
                return null;
            }
            throw failed;
        }
    }
}
