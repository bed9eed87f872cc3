package dev.baton.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.baton.support.Api;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.restassured.RestAssured;

/** On SIGTERM every open socket is closed with 1001 (going away), so clients reconnect elsewhere at once. */
class SocketShutdownIT {

    @RegisterExtension
    static final PackagedStack stack = new PackagedStack();

    @AfterEach
    void resetPort() {
        RestAssured.reset();
    }

    @Test
    void shouldCloseEverySocketWith1001OnShutdown() throws Exception {
        RestAssured.port = stack.baton().port();
        Api api = Api.signUp();
        String chatId = api.newChat(false);
        Client inbox = Sockets.connect(stack.baton().port(), "/ws/v1/inbox",
                Sockets.headers("Authorization", "Bearer " + api.owner.token()));
        Client monitor = Sockets.connect(stack.baton().port(), "/ws/v1/chats/" + chatId + "/monitor",
                Sockets.headers("Authorization", "Bearer " + api.owner.token()));
        inbox.next("inbox.snapshot");

        stack.baton().sigterm();

        assertEquals((short) 1001, inbox.closed.get(20, TimeUnit.SECONDS));
        assertEquals((short) 1001, monitor.closed.get(20, TimeUnit.SECONDS));
    }
}
