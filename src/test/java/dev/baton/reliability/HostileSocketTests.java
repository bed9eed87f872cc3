package dev.baton.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Metrics;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/**
 * Hostile WebSocket clients: oversized frames and messages close only the offending socket; a flood
 * of frames from one client leaves the server responsive to everyone else; connect/disconnect churn
 * leaks no socket (the open-socket gauge returns to its baseline) and closes every monitor session.
 */
@QuarkusTest
class HostileSocketTests {

    private static final int FRAME_LIMIT = 16 * 1024;
    private static final int FLOOD_FRAMES = Integer.getInteger("baton.stress.socket-flood", 20_000);
    private static final int CYCLES = Integer.getInteger("baton.stress.socket-cycles", 200);
    /** How late an event or a REST answer may be for others while one client floods. */
    private static final Duration PROMPT = Duration.ofSeconds(3);

    @Test
    void shouldCloseOnlyTheSocketThatSendsAnOversizedFrameOrMessage() throws Exception {
        Api api = Api.signUp();
        Client bystander = Sockets.openInbox(api.createAgent("bystander", "AGENT").token());

        Client bigFrame = Sockets.openInbox(api.owner.token());
        bigFrame.sendText("x".repeat(FRAME_LIMIT + 1_000));
        Short frameClose = bigFrame.closed.get(10, TimeUnit.SECONDS);

        // The same size in small fragments: the message limit applies to the whole.
        Client bigMessage = Sockets.openInbox(api.owner.token());
        String part = "y".repeat(4_096);
        bigMessage.socket().writeFrame(WebSocketFrame.textFrame(part, false));
        for (int i = 0; i < 4; i++) {
            bigMessage.socket().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(part), i == 3));
        }
        Short messageClose = bigMessage.closed.get(10, TimeUnit.SECONDS);
        assertEquals((short) 1009, messageClose, "an over-long message is closed as 'message too big'");

        String chatId = api.newChat(true);
        assertEquals(chatId, bystander.next("chat.queued").getString("chatId"));
        assertTrue(!bystander.closed.isDone(), "the bystander's socket stays open");
        bystander.close();
        System.out.printf("hostile sockets: oversized frame -> socket closed (%s), oversized fragmented message -> socket closed (%s), "
                + "bystander still served%n", closeCode(frameClose), closeCode(messageClose));
    }

    @Test
    void shouldStayResponsiveToOthersWhileOneClientFloods() throws Exception {
        Api api = Api.signUp();
        Client flood = Sockets.openInbox(api.createAgent("flooder", "AGENT").token());
        Client quiet = Sockets.openInbox(api.owner.token());
        String chatId = api.newChat(true);
        quiet.next("chat.queued");

        long floodStart = System.nanoTime();
        Thread flooding = new Thread(() -> {
            for (int i = 0; i < FLOOD_FRAMES && !flood.closed.isDone(); i++) {
                flood.sendText("{\"type\":\"ping\",\"n\":" + i + "}");
            }
        });
        flooding.start();
        Thread.sleep(200);

        long eventStart = System.nanoTime();
        Api.act(api.owner, chatId, "intervene").then().statusCode(200);
        quiet.next("chat.assigned");
        Duration eventLatency = Duration.ofNanos(System.nanoTime() - eventStart);
        long restStart = System.nanoTime();
        Api.chat(api.owner, chatId).then().statusCode(200);
        Duration restLatency = Duration.ofNanos(System.nanoTime() - restStart);
        flooding.join(TimeUnit.MINUTES.toMillis(2));
        Duration floodTook = Duration.ofNanos(System.nanoTime() - floodStart);

        Api.reply(api.owner, chatId, "still here").then().statusCode(201);
        assertEquals("still here", quiet.next("message.created").getJsonObject("data").getString("text"));
        System.out.printf("hostile sockets: %d frames flooded in %d ms; meanwhile an event reached another client in %d ms and REST "
                + "answered in %d ms; flooder %s%n", FLOOD_FRAMES, floodTook.toMillis(), eventLatency.toMillis(), restLatency.toMillis(),
                flood.closed.isDone() ? "disconnected" : "still connected");
        quiet.close();
        if (!flood.closed.isDone()) {
            flood.close();
        }
        assertTrue(eventLatency.compareTo(PROMPT) < 0, "event took " + eventLatency);
        assertTrue(restLatency.compareTo(PROMPT) < 0, "REST took " + restLatency);
    }

    @Test
    void shouldLeakNothingOverManyConnectDisconnectCycles() throws Exception {
        Api api = Api.signUp();
        Staff manager = api.createAgent("churner", "MANAGER");
        String chatId = api.newChat(true);
        double inboxBaseline = Metrics.openSockets("inbox");
        double monitorBaseline = Metrics.openSockets("monitor");

        List<Client> batch = new ArrayList<>();
        for (int i = 0; i < CYCLES; i++) {
            Client client = i % 4 == 0 ? Sockets.monitor(chatId, manager.token()) : Sockets.inbox(manager.token());
            batch.add(client);
            if (batch.size() == 10) {
                batch.forEach(Client::close);
                batch.clear();
            }
        }
        batch.forEach(Client::close);

        // At most the baseline: sockets of earlier tests may still be finishing their close meanwhile.
        await().atMost(Duration.ofSeconds(15))
                .until(() -> Metrics.openSockets("inbox") <= inboxBaseline && Metrics.openSockets("monitor") <= monitorBaseline);
        List<Map<String, Object>> sessions = api.owner.as().get("/api/v1/chats/" + chatId + "/monitors").then().statusCode(200)
                .extract().jsonPath().getList("items");
        await().atMost(Duration.ofSeconds(10)).until(() -> api.owner.as().get("/api/v1/chats/" + chatId + "/monitors").then()
                .extract().jsonPath().getList("items.endedAt").stream().allMatch(ended -> ended != null));
        Api.chat(api.owner, chatId).then().statusCode(200);
        System.out.printf("hostile sockets: %d connect/disconnect cycles (%d monitor sessions, all ended), open sockets back to "
                + "baseline (inbox %.0f, monitor %.0f)%n", CYCLES, sessions.size(), inboxBaseline, monitorBaseline);
    }

    private static String closeCode(Short code) {
        return code == null ? "connection dropped without a close frame" : "close code " + code;
    }
}
