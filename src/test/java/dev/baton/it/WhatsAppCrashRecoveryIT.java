package dev.baton.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.baton.support.Api;
import dev.baton.support.GraphStub;
import dev.baton.support.WhatsApp;
import io.restassured.RestAssured;

/**
 * A backlog of PENDING WhatsApp sends survives {@code kill -9}: the packaged service is killed
 * while it works through replies at a slow pace, a new instance starts on the same database, and
 * every reply reaches the (stub) Graph API exactly once — sends whose answer died with the process
 * are settled by Meta's status webhook (the stub posts it, retrying as Meta does) instead of sent again.
 */
class WhatsAppCrashRecoveryIT {

    private static final int REPLIES = 60;
    private static final Map<String, String> GRAPH = new GraphStub().start();

    @RegisterExtension
    static final PackagedStack stack = new PackagedStack(Map.of(
            "BATON_WHATSAPP_GRAPH_URL", GRAPH.get("baton.whatsapp.graph-url"),
            // Slow enough that the backlog outlives the kill even when posting the replies is slow (a loaded machine).
            "BATON_WHATSAPP_MESSAGES_PER_SECOND", "3",
            "BATON_WHATSAPP_SEND_LEASE", "PT10S",
            // From the restarted sender's first claim to the status webhook being processed there: the
            // restart's own readiness wait, the stub's next retry and the processing. 5 s was not enough
            // on a loaded machine (one reply sent twice); production waits 30 s.
            "BATON_WHATSAPP_RECONCILE_WAIT", "PT20S"));

    @AfterEach
    void resetPort() {
        RestAssured.reset();
    }

    @Test
    void shouldSendEveryQueuedReplyOnceAcrossAKill9() {
        RestAssured.port = stack.baton().port();
        Api api = Api.signUp();
        WhatsApp wa = WhatsApp.connect(api);
        String customer = "4915112345678";
        String chatId = wa.customerWrites(api.owner, customer, "Lena", "Hallo");
        Api.act(api.owner, chatId, "intervene").then().statusCode(200);
        List<java.util.concurrent.Callable<Long>> replies = new ArrayList<>();
        for (int i = 0; i < REPLIES; i++) {
            int n = i;
            replies.add(() -> ((Number) Api.reply(api.owner, chatId, "reply " + n).then().statusCode(201).extract().path("seq")).longValue());
        }
        List<Long> seqs = Api.inParallel(replies);
        await().atMost(Duration.ofSeconds(30)).until(() -> GraphStub.acceptedFor("+" + customer).size() >= 3);
        stack.baton().kill9();
        int beforeKill = GraphStub.acceptedFor("+" + customer).size();
        assertTrue(beforeKill < REPLIES, "a backlog must remain at the kill: " + beforeKill + " of " + REPLIES + " sent");

        PackagedBaton restarted = stack.startInstance();
        RestAssured.port = restarted.port();
        GraphStub.webhook(wa.phoneNumberId, restarted.baseUrl() + wa.webhookPath, WhatsApp.APP_SECRET);
        await().atMost(Duration.ofSeconds(120)).until(() -> GraphStub.acceptedFor("+" + customer).size() >= REPLIES);
        for (long seq : seqs) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sentOrBeyond(api, chatId, seq));
            assertEquals(1, GraphStub.acceptedCount(chatId + ":" + seq), "sent exactly once: seq " + seq);
        }
        assertEquals(REPLIES, GraphStub.acceptedFor("+" + customer).size());
        System.out.printf("whatsapp crash recovery: %d replies queued, %d sent before kill -9, all %d sent exactly once after restart%n",
                REPLIES, beforeKill, REPLIES);
    }

    private static boolean sentOrBeyond(Api api, String chatId, long seq) {
        Map<String, Object> entry = Api.timeline(api.owner, chatId).stream().filter(e -> ((Number) e.get("seq")).longValue() == seq)
                .findFirst().orElseThrow();
        Object status = ((Map<?, ?>) entry.get("delivery")).get("status");
        return !"PENDING".equals(status) && !"FAILED".equals(status);
    }
}
