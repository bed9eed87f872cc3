package dev.baton.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * A durable consumer's batches, claimed by replicas racing for them: every event is handled exactly
 * once, by whoever got the claim, and the consumer sees only what committed after it registered.
 */
@QuarkusTest
class EventConsumersTests {

    private static final int RACERS = Integer.getInteger("baton.race.racers", 6);
    private static final int EVENTS = Integer.getInteger("baton.race.events", 20);

    @Inject
    EventConsumers consumers;

    @Test
    void shouldHandEveryCommittedEventToExactlyOneClaimOfTheConsumer() throws Throwable {
        Api api = Api.signUp();
        api.newChat(true); // before registration: not the consumer's
        String name = "test-" + UUID.randomUUID();
        VertxContextSupport.subscribeAndAwait(() -> consumers.register(name));
        UUID workspace = UUID.fromString(api.workspaceId);
        Map<Long, Integer> handled = new ConcurrentHashMap<>();
        AtomicInteger claimsLost = new AtomicInteger();

        List<Callable<Integer>> racers = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            racers.add(() -> api.newChat(true).length());
        }
        for (int i = 0; i < RACERS; i++) {
            racers.add(() -> {
                int n = batch(name, workspace, handled);
                if (n < 0) {
                    claimsLost.incrementAndGet();
                }
                return n;
            });
        }
        Collections.shuffle(racers);
        Api.inParallel(racers);
        int n;
        do {
            n = batch(name, workspace, handled);
        } while (n != 0);

        // Each new chat with handoff is one transaction with two event rows: the custody change, then the message.
        assertEquals(2 * EVENTS, handled.size(), "every event after registration, none before: " + handled.keySet());
        assertTrue(handled.values().stream().allMatch(count -> count == 1), "handled twice: " + handled);
        System.out.printf("EventConsumersTests: %d events, %d racing claims (%d found the row claimed), each event handled once%n",
                EVENTS, RACERS, claimsLost.get());
    }

    /** One claim of the consumer's next batch; counts how often each of the workspace's events was handled. */
    private int batch(String name, UUID workspace, Map<Long, Integer> handled) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> consumers.process(name, events -> {
                events.stream().filter(e -> workspace.equals(e.workspaceId())).forEach(e -> handled.merge(e.id(), 1, Integer::sum));
                return Uni.createFrom().voidItem();
            }));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
