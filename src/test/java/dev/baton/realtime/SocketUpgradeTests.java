package dev.baton.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Who may open which socket: decided at the HTTP upgrade, before any socket opens. */
@QuarkusTest
class SocketUpgradeTests {

    @Test
    void shouldRefuseAnUpgradeWithoutAValidToken() {
        assertEquals(401, Sockets.refusal("/ws/v1/inbox", Sockets.headers(), List.of()));
        assertEquals(401, Sockets.refusal("/ws/v1/inbox", Sockets.headers("Authorization", "Bearer not-a-token"), List.of()));
        Api api = Api.signUp();
        String[] parts = api.owner.token().split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertEquals(401, Sockets.refusal("/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + tampered), List.of()));
    }

    @Test
    void shouldRefuseAgentsOnTheMonitorPathAndForeignChats() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("watcher", "AGENT");
        String chatId = api.newChat(false);
        assertEquals(403, Sockets.refusal("/ws/v1/chats/" + chatId + "/monitor",
                Sockets.headers("Authorization", "Bearer " + agent.token()), List.of()));
        Api other = Api.signUp();
        assertEquals(404, Sockets.refusal("/ws/v1/chats/" + chatId + "/monitor",
                Sockets.headers("Authorization", "Bearer " + other.owner.token()), List.of()));
        assertEquals(404, Sockets.refusal("/ws/v1/chats/not-a-uuid/monitor",
                Sockets.headers("Authorization", "Bearer " + api.owner.token()), List.of()));
    }

    @Test
    void shouldRefuseABrowserUpgradeFromAForeignOrigin() {
        Api api = Api.signUp();
        assertEquals(403, Sockets.refusal("/ws/v1/inbox",
                Sockets.headers("Authorization", "Bearer " + api.owner.token(), "Origin", "https://evil.example"), List.of()));
    }

    @Test
    void shouldAcceptTheBrowserSubprotocolTokenCarrier() throws Exception {
        Api api = Api.signUp();
        String carrier = URLEncoder.encode("quarkus-http-upgrade#Authorization#Bearer " + api.owner.token(), StandardCharsets.UTF_8)
                .replace("+", "%20");
        Client client = Sockets.connect(RestAssured.port, "/ws/v1/inbox", Sockets.headers(), List.of("bearer-token-carrier", carrier));
        assertEquals("inbox.snapshot", client.next("inbox.snapshot").getString("type"));
        client.close();
    }

    @Test
    void shouldIgnoreGarbageAndBinaryFramesAndKeepServing() throws Exception {
        Api api = Api.signUp();
        Staff agent = api.createAgent("noisy", "AGENT");
        Client noisy = Sockets.inbox(agent.token());
        noisy.next("inbox.snapshot");
        for (int i = 0; i < 200; i++) {
            noisy.sendText("{not json " + i);
        }
        noisy.sendBinary(new byte[] { 1, 2, 3 });
        String chatId = api.newChat(true);
        Client quiet = Sockets.inbox(api.owner.token());
        quiet.next("inbox.snapshot");
        Api.act(api.owner, chatId, "intervene").then().statusCode(200);
        assertEquals(chatId, quiet.next("chat.assigned").getString("chatId"));
    }
}
