package dev.baton.routing;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** PRODUCT.md "No-reply timeout": a holder who does not reply in time loses the chat to the queue, once; a reply cancels it. */
@QuarkusTest
class NoReplyTimerTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    static String status(Api api, String chatId) {
        return Api.chat(api.owner, chatId).then().statusCode(200).extract().path("status");
    }

    static long requeues(Api api, String chatId) {
        return Api.custody(api.owner, chatId).stream()
                .filter(e -> "REQUEUE".equals(((Map<?, ?>) e.get("custody")).get("action"))).count();
    }

    @Test
    void shouldRequeueAChatWhoseHolderDoesNotReplyInTime() throws Exception {
        Api api = RoutingTests.workspace();
        Staff agent = api.createAgent("silent", "AGENT");
        RoutingTests.routing(api, "MANUAL", null, "PT1S");
        String chat = api.chatHeldBy(agent);
        Sockets.Client inbox = Sockets.openInbox(agent.token());
        try {
            JsonObject revoked = inbox.next("chat.revoked");
            assertEquals(chat, revoked.getString("chatId"));
            assertEquals("NO_REPLY", revoked.getJsonObject("data").getString("reason"));
        } finally {
            inbox.close();
        }
        Api.chat(api.owner, chat).then().body("status", equalTo("REQUESTING"));
        List<Map<String, Object>> ledger = Api.custody(api.owner, chat);
        Map<?, ?> last = (Map<?, ?>) ledger.get(ledger.size() - 1).get("custody");
        assertEquals("REQUEUE", last.get("action"));
        assertEquals("NO_REPLY", last.get("reason"));
        assertEquals(agent.id(), ((Map<?, ?>) last.get("from")).get("id"));
        assertEquals(1, requeues(api, chat));
    }

    @Test
    void shouldNotRequeueAChatWhoseHolderReplied() {
        Api api = RoutingTests.workspace();
        Staff agent = api.createAgent("prompt", "AGENT");
        RoutingTests.routing(api, "MANUAL", null, "PT2S");
        String answered = api.chatHeldBy(agent);
        Api.reply(agent, answered, "On it!").then().statusCode(201);
        // Armed after the reply, so due after the answered chat's timer would have been.
        String control = api.chatHeldBy(agent);
        Awaitility.await().atMost(WAIT).until(() -> "REQUESTING".equals(status(api, control)));
        assertEquals("INTERVENED", status(api, answered), "the reply cancelled the timer");
        assertEquals(0, requeues(api, answered));
    }
}
