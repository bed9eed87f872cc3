package dev.baton.offer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.RawResponse;
import dev.baton.support.Api.Staff;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One offer, and everything that can end it fired at once around its deadline: the target accepts,
 * a manager takes the chat over, the offerer cancels, a second offer is made, and the sweeper
 * expires it. Each round checks from the database that exactly one of them ended the offer, that
 * every other call was refused with its precise 409, that the chat never has two pending offers
 * and that its custody ledger is one chain ending at its holder.
 *
 * <p>Rounds run in batches, each round of a batch at a different offset from its deadline. CI runs
 * {@value #DEFAULT_ROUNDS} rounds; a longer run: {@code -Dbaton.offers.race.rounds=<n>}.
 */
@QuarkusTest
class OfferRaceTests {

    private static final int DEFAULT_ROUNDS = 16;
    private static final int ROUNDS = Integer.getInteger("baton.offers.race.rounds", DEFAULT_ROUNDS);
    private static final int BATCH = 8;
    /** Where each round fires relative to the deadline (ms): before it, at it, and after it while the sweeper is due. */
    private static final long[] OFFSETS = { -2000, -1200, -700, -400, -200, 0, 100, 300 };

    record Round(String chatId, String offerId, Instant deadline, long offset) {
    }

    record Outcome(Round round, RawResponse accept, RawResponse takeover, RawResponse cancel, RawResponse secondOffer) {
    }

    @Test
    void shouldEndEveryOfferExactlyOnceWhateverRacesIt() throws Exception {
        Api api = Api.signUp();
        Staff manager = api.createAgent("manager1", "MANAGER");
        Staff holder = api.createAgent("holder", "AGENT");
        Staff target = api.createAgent("target", "AGENT");
        Staff other = api.createAgent("other", "AGENT");
        List<String> violations = new ArrayList<>();
        int[] winners = new int[4];
        for (int start = 0; start < ROUNDS; start += BATCH) {
            List<String> chats = new ArrayList<>();
            for (int i = start; i < Math.min(ROUNDS, start + BATCH); i++) {
                chats.add(api.chatHeldBy(holder));
            }
            // Offers made in a burst, so that every round of the batch is still pending when its race is aimed.
            List<Round> rounds = new ArrayList<>();
            for (int i = 0; i < chats.size(); i++) {
                JsonObject offer = post(holder, "/api/v1/chats/" + chats.get(i) + "/offers",
                        new JsonObject().put("toAgentId", target.id()).put("expiresIn", "PT3S")).json();
                rounds.add(new Round(chats.get(i), offer.getString("id"), OffsetDateTime.parse(offer.getString("expiresAt")).toInstant(),
                        OFFSETS[(start + i) % OFFSETS.length]));
            }
            List<Outcome> outcomes = Api.inParallel(rounds.stream().<Callable<Outcome>>map(r -> () -> race(r, manager, holder, target, other))
                    .toList());
            for (Outcome outcome : outcomes) {
                violations.addAll(check(outcome, manager, winners));
            }
        }
        System.out.printf("offer races: %d rounds; accepted %d, cancelled %d, taken over %d, expired %d; %d violations%n", ROUNDS,
                winners[0], winners[1], winners[2], winners[3], violations.size());
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    private static Outcome race(Round round, Staff manager, Staff holder, Staff target, Staff other) throws Exception {
        long wait = round.deadline().toEpochMilli() + round.offset() - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait); // aims the race at the deadline; what happened is read from the database afterwards
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<RawResponse>> calls = List.of(
                fire(go, () -> post(target, "/api/v1/offers/" + round.offerId() + "/accept", null)),
                fire(go, () -> post(manager, "/api/v1/chats/" + round.chatId() + "/takeover", null)),
                fire(go, () -> post(holder, "/api/v1/offers/" + round.offerId() + "/cancel", null)),
                fire(go, () -> post(manager, "/api/v1/chats/" + round.chatId() + "/offers", new JsonObject().put("toAgentId", other.id()))));
        List<Thread> threads = new ArrayList<>();
        RawResponse[] results = new RawResponse[calls.size()];
        for (int i = 0; i < calls.size(); i++) {
            int n = i;
            Thread t = new Thread(() -> {
                try {
                    results[n] = calls.get(n).call();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        return new Outcome(round, results[0], results[1], results[2], results[3]);
    }

    private static Callable<RawResponse> fire(CountDownLatch go, Callable<RawResponse> call) {
        return () -> {
            go.await();
            return call.call();
        };
    }

    private static List<String> check(Outcome o, Staff manager, int[] winners) {
        List<String> violations = new ArrayList<>();
        String at = "round at " + o.round().offset() + " ms, chat " + o.round().chatId().substring(0, 8) + ": ";
        JsonObject offer = get(manager, "/api/v1/offers/" + o.round().offerId());
        String status = offer.getString("status");
        boolean accepted = o.accept().status() == 200;
        boolean cancelled = o.cancel().status() == 200;
        boolean takenOver = "CANCELLED".equals(status) && "TAKEOVER".equals(offer.getString("reason"));
        boolean expired = "EXPIRED".equals(status);
        int ended = (accepted ? 1 : 0) + (cancelled ? 1 : 0) + (takenOver ? 1 : 0) + (expired ? 1 : 0);
        if (ended != 1) {
            violations.add(at + "ended " + ended + " times (status " + status + ", accept " + o.accept().status() + ", cancel "
                    + o.cancel().status() + ")");
        }
        if (accepted != "ACCEPTED".equals(status) || cancelled != ("CANCELLED".equals(status) && offer.getString("reason") == null)) {
            violations.add(at + "answers disagree with the offer's status " + status);
        }
        winners[accepted ? 0 : cancelled ? 1 : takenOver ? 2 : 3]++;
        expect(violations, at + "accept", o.accept(), accepted ? 200 : 409, "offer-not-pending");
        expect(violations, at + "cancel", o.cancel(), cancelled ? 200 : 409, "offer-not-pending");
        expect(violations, at + "takeover", o.takeover(), 200, null);
        if (o.secondOffer().status() != 201) {
            expect(violations, at + "second offer", o.secondOffer(), 409, "offer-pending");
        }

        JsonArray offers = get(manager, "/api/v1/chats/" + o.round().chatId() + "/offers").getJsonArray("items");
        long pending = offers.stream().map(JsonObject.class::cast).filter(x -> "PENDING".equals(x.getString("status"))).count();
        if (pending > 1 || offers.size() != (o.secondOffer().status() == 201 ? 2 : 1)) {
            violations.add(at + pending + " pending of " + offers.size() + " offers");
        }

        JsonArray ledger = get(manager, "/api/v1/chats/" + o.round().chatId() + "/custody").getJsonArray("items");
        String heldBy = null;
        int transfers = 0;
        for (int i = 0; i < ledger.size(); i++) {
            JsonObject custody = ledger.getJsonObject(i).getJsonObject("custody");
            if (i > 0 && !Objects.equals(id(custody.getJsonObject("from")), heldBy)) {
                violations.add(at + "ledger breaks at entry " + i);
            }
            heldBy = id(custody.getJsonObject("to"));
            if (custody.getString("offerId") != null) {
                transfers++;
                if (!o.round().offerId().equals(custody.getString("offerId")) || !"TRANSFER".equals(custody.getString("action"))) {
                    violations.add(at + "ledger names offer " + custody.getString("offerId") + " with " + custody.getString("action"));
                }
            }
        }
        JsonObject chat = get(manager, "/api/v1/chats/" + o.round().chatId());
        if (!Objects.equals(id(chat.getJsonObject("holder")), heldBy) || !Objects.equals(heldBy, manager.id())) {
            violations.add(at + "holder " + id(chat.getJsonObject("holder")) + ", ledger ends at " + heldBy);
        }
        if (transfers != (accepted ? 1 : 0)) {
            violations.add(at + transfers + " TRANSFER entries name the offer (accepted: " + accepted + ")");
        }
        if (!Set.of(3, 4).contains(ledger.size())) {
            violations.add(at + ledger.size() + " ledger entries");
        }
        return violations;
    }

    private static void expect(List<String> violations, String what, RawResponse r, int status, String code) {
        if (r.status() != status || (status == 409 && !code.equals(r.code()))) {
            violations.add(what + " answered " + r.status() + " " + r.body());
        }
    }

    private static String id(JsonObject person) {
        return person == null ? null : person.getString("id");
    }

    private static RawResponse post(Staff who, String path, JsonObject body) {
        return Api.raw(RestAssured.port, "POST", path, who.token(), body == null ? null : body.encode().getBytes(StandardCharsets.UTF_8),
                false);
    }

    private static JsonObject get(Staff who, String path) {
        return Api.raw(RestAssured.port, "GET", path, who.token(), null, false).json();
    }
}
