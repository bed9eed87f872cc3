package dev.baton.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.baton.support.Api;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.restassured.RestAssured;

/**
 * On SIGTERM every open socket is closed with 1001 (going away), so clients reconnect elsewhere at
 * once, and the process exits soon after the shutdown delay: sockets, open or long closed, do not
 * hold it for the whole quarkus.shutdown.timeout (10 s).
 */
class SocketShutdownIT {

    /** The shutdown delay (1 s) plus the orderly stop, with room for a loaded machine; well under the 10 s timeout. */
    private static final Duration PROMPT_EXIT = Duration.ofSeconds(5);

    @RegisterExtension
    static final PackagedStack stack = new PackagedStack();

    @AfterEach
    void resetPort() {
        RestAssured.reset();
    }

    @Test
    void shouldCloseEverySocketWith1001AndExitPromptlyOnShutdown() throws Exception {
        RestAssured.port = stack.baton().port();
        Api api = Api.signUp();
        String chatId = api.newChat(false);
        // A socket that came and went before shutdown must not count as work in flight either.
        Client gone = Sockets.connect(stack.baton().port(), "/ws/v1/inbox",
                Sockets.headers("Authorization", "Bearer " + api.owner.token()));
        gone.next("inbox.snapshot");
        gone.close();
        Client inbox = Sockets.connect(stack.baton().port(), "/ws/v1/inbox",
                Sockets.headers("Authorization", "Bearer " + api.owner.token()));
        Client monitor = Sockets.connect(stack.baton().port(), "/ws/v1/chats/" + chatId + "/monitor",
                Sockets.headers("Authorization", "Bearer " + api.owner.token()));
        inbox.next("inbox.snapshot");

        long signalled = System.nanoTime();
        stack.baton().sigterm();

        assertEquals((short) 1001, inbox.closed.get(20, TimeUnit.SECONDS));
        assertEquals((short) 1001, monitor.closed.get(20, TimeUnit.SECONDS));
        int exit = stack.baton().awaitExit(Duration.ofSeconds(30));
        Duration took = Duration.ofNanos(System.nanoTime() - signalled);
        System.out.printf("SocketShutdownIT: exited %d ms after SIGTERM%n", took.toMillis());
        assertNotEquals(-1, exit, "still running 30 s after SIGTERM");
        assertTrue(took.compareTo(PROMPT_EXIT) < 0, "exited " + took.toMillis() + " ms after SIGTERM, want < " + PROMPT_EXIT.toMillis());
        assertTrue(stack.baton().logText().contains("stopped in"), "Quarkus logs an orderly stop");
    }
}
