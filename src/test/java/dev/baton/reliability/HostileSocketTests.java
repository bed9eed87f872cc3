package dev.baton.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Metrics;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import dev.baton.support.LogCapture;
import dev.baton.support.RawSocket;
import io.vertx.core.json.JsonObject;
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
    /** baton.websocket.max-queued-bytes (the default: the test profile does not change it). */
    private static final long QUEUE_BOUND = 262_144;
    private static final int STALL_MESSAGES = Integer.getInteger("baton.stress.stall-messages", 3_000);
    private static final int RESETS = Integer.getInteger("baton.stress.socket-resets", 30);
    private static final int MAX_PER_AGENT = 10;

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

    @Test
    void shouldCloseASocketThatStopsReadingAndKeepServingTheOthers() throws Exception {
        Api api = Api.signUp();
        Staff agent = api.createAgent("stalled", "AGENT");
        // Several held chats: messages to one chat are serialised by its row lock, and the stream must outrun the
        // pong timeout for the queue bound (not the timeout) to be what closes the socket.
        List<String> phones = new ArrayList<>();
        String chatId = null;
        for (int i = 0; i < 4; i++) {
            String held = api.newChat(true);
            Api.act(agent, held, "intervene").then().statusCode(200);
            phones.add(Api.chat(api.owner, held).then().extract().path("customer.phone"));
            chatId = chatId == null ? held : chatId;
        }
        Client watcher = Sockets.monitor(chatId, api.owner.token());
        double inboxBefore = Metrics.openSockets("inbox");
        String text = "z".repeat(4_000);
        String phone = phones.get(0);
        try (RawSocket stalled = RawSocket.upgrade("/ws/v1/inbox", 4_096, "Authorization: Bearer " + agent.token())) {
            assertEquals(101, stalled.status);
            await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.openSockets("inbox") > inboxBefore);
            // The stalled client reads nothing while the chat it holds streams 4 KB messages.
            int sent = 0;
            long closedAfter = -1;
            long start = System.nanoTime();
            while (sent < STALL_MESSAGES && closedAfter < 0) {
                List<java.util.concurrent.Callable<Object>> batch = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String to = phones.get(i % phones.size());
                    batch.add(() -> api.inbound(to, text, false).then().statusCode(201));
                }
                Api.inParallel(batch);
                sent += batch.size();
                if (Metrics.openSockets("inbox") <= inboxBefore) {
                    closedAfter = System.nanoTime() - start;
                }
            }
            long waitStart = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> Metrics.openSockets("inbox") <= inboxBefore);
            long extraWait = System.nanoTime() - waitStart;
            // What the client can still read is bounded: far less than what was addressed to it.
            long readable = 0;
            int lastClose = 0;
            for (RawSocket.Frame frame = stalled.next(); frame != null; frame = stalled.next()) {
                readable += frame.payload().length;
                if (frame.opcode() == 8) {
                    lastClose = frame.closeCode();
                }
            }
            long addressed = (long) sent * text.length();
            System.out.printf("hostile sockets: a client that stopped reading was closed after %d messages (%d KB addressed to it, "
                    + "%d ms, +%d ms); it could still read %d KB (close frame %s); the monitor got every message%n", sent,
                    addressed / 1024, TimeUnit.NANOSECONDS.toMillis(closedAfter < 0 ? System.nanoTime() - start : closedAfter),
                    TimeUnit.NANOSECONDS.toMillis(extraWait), readable / 1024, lastClose == 0 ? "none: connection dropped" : lastClose);
            // What can reach the client is what the kernel buffered (the server's send buffer, autotuned up to tcp_wmem's
            // maximum, and the client's small receive buffer) plus at most the configured queue: not what was addressed.
            long bound = tcpSendBufferMax() + 2 * 4_096 + QUEUE_BOUND + 64 * 1024;
            assertTrue(readable <= bound, "a stalled client's backlog is bounded: " + readable + " of " + addressed + " bytes (bound " + bound + ")");
        }
        long lastSeq = Api.chat(api.owner, chatId).then().extract().<Integer>path("lastSeq");
        for (long seq = 0; seq < lastSeq;) {
            seq = watcher.next("message.created").getLong("seq");
        }
        api.inbound(phone, "after the stall", false).then().statusCode(201);
        assertEquals("after the stall", watcher.next("message.created").getJsonObject("data").getString("text"));
        watcher.close();
    }

    /** The most the kernel lets one TCP socket's send buffer grow to (Linux autotuning), 4 MiB where unknown. */
    private static long tcpSendBufferMax() {
        try {
            String[] wmem = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
            return Long.parseLong(wmem[2]);
        } catch (java.io.IOException | RuntimeException e) {
            return 4L << 20;
        }
    }

    @Test
    void shouldCloseASocketWhoseClientStopsAnsweringPings() throws Exception {
        Api api = Api.signUp();
        try (RawSocket silent = RawSocket.upgrade("/ws/v1/inbox", 0, "Authorization: Bearer " + api.owner.token())) {
            assertEquals(101, silent.status);
            long start = System.nanoTime();
            int pings = 0;
            RawSocket.Frame frame;
            int closeCode = 0;
            while ((frame = silent.next()) != null) {
                if (frame.opcode() == 9) {
                    pings++;
                } else if (frame.opcode() == 8) {
                    closeCode = frame.closeCode();
                    break;
                }
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("hostile sockets: a client that never answers pings (%d pings) was closed with %d after %d ms%n", pings,
                    closeCode, millis);
            assertEquals(1001, closeCode);
        }
    }

    @Test
    void shouldCapTheSocketsOfOneAgent() throws Exception {
        Api api = Api.signUp();
        Staff agent = api.createAgent("hoarder", "MANAGER");
        String chatId = api.newChat(false);
        List<Client> open = new ArrayList<>();
        for (int i = 0; i < MAX_PER_AGENT; i++) {
            open.add(i % 2 == 0 ? Sockets.openInbox(agent.token()) : Sockets.monitor(chatId, agent.token()));
        }
        Client extra = Sockets.connect(io.restassured.RestAssured.port, "/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + agent.token()));
        assertEquals((short) 1008, extra.closed.get(10, TimeUnit.SECONDS), "the socket past the cap is closed as a policy violation");
        assertTrue(extra.frames.isEmpty(), "it got nothing: " + extra.frames);
        open.remove(0).close();
        Client replacement = Sockets.openInbox(agent.token());
        assertTrue(!replacement.closed.isDone());
        replacement.close();
        open.forEach(Client::close);
    }

    @Test
    void shouldRefuseAnUnreadableSubprotocolListWith401Problem() throws Exception {
        Api api = Api.signUp();
        try (LogCapture log = LogCapture.from(Level.WARNING)) {
            for (String protocols : List.of("bearer-token-carrier, %zz", "bearer-token-carrier, quarkus-http-upgrade%zz",
                    "bearer-token-carrier, quarkus-http-upgrade#Authorization", "quarkus-http-upgrade#Authorization#Bearer%20"
                            + api.owner.token())) {
                try (RawSocket refused = RawSocket.upgrade("/ws/v1/inbox", 0, "Sec-WebSocket-Protocol: " + protocols)) {
                    assertEquals(401, refused.status, protocols);
                    assertEquals("application/problem+json", refused.header("Content-Type"), protocols);
                    assertEquals("unauthorized", new JsonObject(refused.body()).getString("code"), protocols);
                }
            }
            assertEquals(List.of(), log.atLeast(Level.SEVERE), "no ERROR for a malformed handshake");
        }
    }

    @Test
    void shouldLogClientResetsAtDebugOnly() throws Exception {
        Api api = Api.signUp();
        Staff agent = api.createAgent("resetter", "AGENT");
        String chatId = api.newChat(true);
        Api.act(agent, chatId, "intervene").then().statusCode(200);
        String phone = Api.chat(api.owner, chatId).then().extract().path("customer.phone");
        int resets = 0;
        double inboxBefore = Metrics.openSockets("inbox");
        double monitorBefore = Metrics.openSockets("monitor");
        try (LogCapture log = LogCapture.from(Level.WARNING)) {
            for (int i = 0; i < RESETS; i++) {
                RawSocket socket = i % 2 == 0 ? RawSocket.upgrade("/ws/v1/inbox", 4_096, "Authorization: Bearer " + agent.token())
                        : RawSocket.upgrade("/ws/v1/chats/" + chatId + "/monitor", 4_096, "Authorization: Bearer " + api.owner.token());
                assertEquals(101, socket.status);
                // Frames on their way while the client vanishes: the server writes into a reset connection.
                api.inbound(phone, "x".repeat(2_000), false).then().statusCode(201);
                socket.reset();
                resets++;
                api.inbound(phone, "y".repeat(2_000), false).then().statusCode(201);
            }
            Api.chat(api.owner, chatId).then().statusCode(200);
            await().atMost(Duration.ofSeconds(15)).until(() -> Metrics.openSockets("inbox") <= inboxBefore
                    && Metrics.openSockets("monitor") <= monitorBefore || !log.lines().isEmpty());
            System.out.printf("hostile sockets: %d TCP resets, %d lines at WARN or above: %s%n", resets, log.lines().size(), log.lines());
            assertEquals(List.of(), log.lines(), "routine disconnects are not warnings or errors");
        }
    }

    private static String closeCode(Short code) {
        return code == null ? "connection dropped without a close frame" : "close code " + code;
    }
}
