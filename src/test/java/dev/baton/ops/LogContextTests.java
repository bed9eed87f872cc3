package dev.baton.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.baton.realtime.ConnectionRegistry;
import dev.baton.support.Api;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Log lines written while serving a socket carry that socket's workspace and agent ids. */
@QuarkusTest
class LogContextTests {

    record Line(String message, String workspaceId, String agentId) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(ConnectionRegistry.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ExtLogRecord ext = (ExtLogRecord) record;
            lines.add(new Line(ext.getFormattedMessage(), ext.getMdc(RequestLogContext.WORKSPACE_ID),
                    ext.getMdc(RequestLogContext.AGENT_ID)));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previous;

    @BeforeEach
    void capture() {
        previous = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
        logger.setLevel(previous);
    }

    @Test
    void shouldTagSocketLogLinesWithTheirCaller() throws Exception {
        Api first = Api.signUp();
        Api second = Api.signUp();
        Client a = Sockets.connect(RestAssured.port, "/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + first.owner.token()));
        Client b = Sockets.connect(RestAssured.port, "/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + second.owner.token()));
        a.next("inbox.snapshot");
        b.next("inbox.snapshot");
        a.close();
        b.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().filter(l -> l.message.equals("inbox socket closed")).count() >= 2);
        for (Api api : List.of(first, second)) {
            Map<String, Long> byMessage = Map.of(
                    "inbox socket opened", count(api, "inbox socket opened"),
                    "inbox socket closed", count(api, "inbox socket closed"));
            assertEquals(Map.of("inbox socket opened", 1L, "inbox socket closed", 1L), byMessage,
                    "lines tagged with " + api.workspaceId + "/" + api.owner.id() + " in " + lines);
        }
    }

    private long count(Api api, String message) {
        return lines.stream().filter(l -> l.message.equals(message) && api.workspaceId.equals(l.workspaceId)
                && api.owner.id().equals(l.agentId)).count();
    }
}
