package dev.baton.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Map;

import org.hibernate.internal.SessionFactoryImpl;
import org.hibernate.query.spi.QueryInterpretationCache;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Hibernate 7.2 caches one more plan for every execution of a native select (common/NativeSelects):
 * 50 chats transferred once grew the cache by ~500 plans, and a transfer spent 19 % of the event
 * loops' time walking the copies. The same traffic, repeated, must now leave the cache as it was:
 * custody changes with capacity limits, automatic assignment with a no-reply timer, the team
 * queue, the agent list, and the background polls (event consumers, timers, offer expiry).
 */
@QuarkusTest
class QueryPlanCacheTests {

    @Inject
    Mutiny.SessionFactory factory;

    @Test
    void shouldNotGrowThePlanCacheWithRepeatedTraffic() throws Exception {
        QueryInterpretationCache cache = cache();
        Api api = Api.signUp();
        Staff agent = api.createAgent(Api.unique("plan"), "AGENT");
        agent.as().body(Map.of("availability", "ONLINE")).put("/api/v1/agents/me/availability").then().statusCode(200);
        api.owner.as().body(Map.of("maxChats", 1000)).patch("/api/v1/agents/" + agent.id()).then().statusCode(200);
        round(api, agent); // every statement's first plan
        int before = cache.getNumberOfCachedQueryPlans();
        for (int i = 0; i < 20; i++) {
            round(api, agent);
        }
        int after = cache.getNumberOfCachedQueryPlans();
        assertTrue(after - before < 10, "20 rounds of the same traffic added " + (after - before) + " query plans (" + before + " -> " + after + ")");
    }

    /** One of each: a manual transfer and release under a limit, an automatic assignment with a timer, the lists. */
    private static void round(Api api, Staff agent) {
        api.owner.as().body(Map.of("mode", "MANUAL")).put("/api/v1/routing").then().statusCode(200);
        String chat = api.chatHeldBy(api.owner);
        Api.transfer(api.owner, chat, agent.id()).then().statusCode(200);
        Api.act(agent, chat, "release").then().statusCode(200);
        api.owner.as().body(Map.of("mode", "LEAST_LOADED", "noReplyTimeout", "PT5M")).put("/api/v1/routing").then().statusCode(200);
        api.inbound(Api.randomPhone(), "help", true).then().statusCode(201);
        api.owner.as().get("/api/v1/queue").then().statusCode(200);
        api.owner.as().get("/api/v1/agents").then().statusCode(200);
    }

    private QueryInterpretationCache cache() throws Exception {
        Object real = ClientProxy.unwrap(factory);
        Field delegate = real.getClass().getDeclaredField("delegate");
        delegate.setAccessible(true);
        return ((SessionFactoryImpl) delegate.get(real)).getQueryEngine().getInterpretationCache();
    }
}
