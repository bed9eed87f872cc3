package dev.baton;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** A retried customer message (externalId) or staff reply (clientMessageId) creates nothing and returns the first result. */
@QuarkusTest
class IdempotencyTests {

    private static final int RETRIES = 20;

    /** The answer the client keeps: status and {chatId, seq} (or the reply's seq). */
    record Answer(int status, String code, Object chatId, Object seq) {
        static Answer of(Response r) {
            boolean ok = r.statusCode() / 100 == 2;
            return new Answer(r.statusCode(), ok ? null : r.path("code"), ok ? r.path("chatId") : null, ok ? r.path("seq") : null);
        }
    }

    @Test
    void shouldAcceptARepeatedExternalIdOnceAndReturnTheFirstResult() {
        Api api = Api.signUp();
        String phone = Api.randomPhone();
        Response first = api.inbound("wamid-1", phone, "Where is my order?", false);
        first.then().statusCode(201).header("Idempotent-Replayed", "false");
        api.inbound("wamid-2", phone, "Hello?", false).then().statusCode(201);
        for (String retryPhone : List.of(phone, Api.randomPhone())) {
            Response retry = api.inbound("wamid-1", retryPhone, "Where is my order? (retried)", true);
            retry.then().statusCode(201).header("Idempotent-Replayed", "true");
            assertEquals(Answer.of(first), Answer.of(retry));
        }
        String chatId = first.path("chatId");
        assertEquals(1, inboundWith(api, chatId, "wamid-1"));
        Api.chat(api.owner, chatId).then().body("status", equalTo("OPEN")).body("lastSeq", equalTo(2));
        api.owner.as().get("/api/v1/chats").then().body("items.size()", equalTo(1));
    }

    @Test
    void shouldAcceptConcurrentDeliveriesOfOneExternalIdOnce() {
        Api api = Api.signUp();
        String phone = Api.randomPhone();
        List<Answer> answers = Api.inParallel(Collections.nCopies(RETRIES,
                () -> Answer.of(api.inbound("wamid-burst", phone, "Hi there", false))));
        Answer first = assertOneResult(answers);
        assertEquals(1, inboundWith(api, (String) first.chatId(), "wamid-burst"));
        Api.chat(api.owner, (String) first.chatId()).then().body("lastSeq", equalTo(1));
    }

    @Test
    void shouldAcceptConcurrentDeliveriesOfOneExternalIdForDifferentCustomersOnce() {
        Api api = Api.signUp();
        List<Callable<Answer>> deliveries = new ArrayList<>();
        for (int i = 0; i < RETRIES; i++) {
            String phone = Api.randomPhone();
            deliveries.add(() -> Answer.of(api.inbound("wamid-mixed", phone, "Hi there", false)));
        }
        Answer first = assertOneResult(Api.inParallel(deliveries));
        Answer retried = Answer.of(api.inbound("wamid-mixed", Api.randomPhone(), "Hi there", false));
        assertEquals(first, retried);
        List<String> chats = api.owner.as().get("/api/v1/chats?limit=200").path("items.id");
        assertEquals(List.of(first.chatId()), chats, "only the accepted delivery's chat exists");
    }

    @Test
    void shouldAcceptARepeatedClientMessageIdOnceAndReturnTheFirstEntry() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("agent1", "AGENT");
        String chatId = api.chatHeldBy(agent);
        Response first = Api.reply(agent, chatId, "On its way", "cm-1");
        first.then().statusCode(201).header("Idempotent-Replayed", "false");
        Api.reply(agent, chatId, "Anything else?", "cm-2").then().statusCode(201);
        Response retry = Api.reply(agent, chatId, "On its way", "cm-1");
        retry.then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("seq", equalTo(first.path("seq"))).body("text", equalTo("On its way"));
        Api.act(api.owner, chatId, "takeover").then().statusCode(200);
        Api.reply(agent, chatId, "On its way", "cm-1").then().statusCode(201).body("seq", equalTo(first.path("seq")));
        assertEquals(1, outboundWith(agent, api, chatId, "cm-1"));
        Api.reply(api.owner, chatId, "The owner's own cm-1", "cm-1").then().statusCode(201)
                .header("Idempotent-Replayed", "false");
    }

    @Test
    void shouldAcceptConcurrentRetriesOfOneClientMessageIdOnce() {
        Api api = Api.signUp();
        String chatId = api.chatHeldBy(api.owner);
        List<Response> replies = Api.inParallel(Collections.nCopies(RETRIES, () -> Api.reply(api.owner, chatId, "Once only", "cm-burst")));
        for (Response r : replies) {
            r.then().statusCode(201).body("seq", equalTo(replies.get(0).path("seq")));
        }
        assertEquals(1, outboundWith(api.owner, api, chatId, "cm-burst"));
    }

    /** Every delivery is answered with the same first result. */
    private static Answer assertOneResult(List<Answer> answers) {
        Answer first = answers.get(0);
        assertEquals(201, first.status(), first.toString());
        answers.forEach(a -> assertEquals(first, a));
        return first;
    }

    private static long inboundWith(Api api, String chatId, String externalId) {
        return Api.timeline(api.owner, chatId).stream().filter(e -> externalId.equals(e.get("externalId"))).count();
    }

    private static long outboundWith(Staff author, Api api, String chatId, String clientMessageId) {
        return Api.timeline(api.owner, chatId).stream()
                .filter(e -> clientMessageId.equals(e.get("clientMessageId")))
                .filter(e -> author.id().equals(((Map<?, ?>) e.get("author")).get("id"))).count();
    }
}
