package dev.baton.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.LogCapture;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/**
 * Monitoring is audited before it shows anything: a watcher's first frame comes only after its
 * audit row has committed, and a watcher whose row cannot be written sees nothing and is told so.
 * A trigger on the audit table, limited to one test chat, slows or fails the insert.
 */
@QuarkusTest
class MonitorAuditTests {

    @Inject
    Pool database;

    @Test
    void shouldCommitTheAuditRowBeforeTheFirstFrame() throws Exception {
        Api api = Api.signUp();
        String chatId = api.newChat(true);
        Api.act(api.owner, chatId, "intervene").then().statusCode(200);
        String phone = Api.chat(api.owner, chatId).then().extract().path("customer.phone");
        AtomicBoolean traffic = new AtomicBoolean(true);
        Thread messages = new Thread(() -> {
            while (traffic.get()) {
                api.inbound(phone, "are you there?", false).then().statusCode(201);
            }
        });
        try (AutoCloseable slow = auditTrigger(chatId, "perform pg_sleep(1)")) {
            messages.start();
            Client monitor = Sockets.monitor(chatId, api.owner.token());
            JsonObject first = monitor.frames.poll(15, TimeUnit.SECONDS);
            long rows = auditRows(chatId);
            assertTrue(first != null, "the monitor got no frame");
            assertEquals(1, rows, "audit rows when the first frame (" + first.getString("type") + ") arrived");
            monitor.close();
        } finally {
            traffic.set(false);
            messages.join();
        }
    }

    @Test
    void shouldRefuseTheWatcherWhenTheAuditRowCannotBeWritten() throws Exception {
        Api api = Api.signUp();
        String chatId = api.newChat(true);
        try (AutoCloseable failing = auditTrigger(chatId, "raise exception 'audit unavailable'");
                LogCapture log = LogCapture.from(Level.WARNING)) {
            Client monitor = Sockets.monitor(chatId, api.owner.token());
            api.inbound(Api.chat(api.owner, chatId).then().extract().path("customer.phone"), "secret", false).then().statusCode(201);
            assertEquals((short) 1011, monitor.closed.get(10, TimeUnit.SECONDS));
            assertTrue(monitor.frames.isEmpty(), "the watcher saw frames without an audit row: " + monitor.frames);
            assertEquals(0, auditRows(chatId));
            List<LogCapture.Line> lines = log.lines();
            assertTrue(lines.stream().anyMatch(l -> l.level().intValue() == Level.WARNING.intValue() && l.message().contains("audit")), "a warning: " + lines);
            assertEquals(List.of(), log.atLeast(Level.SEVERE), "no ERROR");
        }
    }

    private long auditRows(String chatId) {
        return database.preparedQuery("select count(*) from monitor_session where chat_id = $1::uuid").execute(Tuple.of(chatId))
                .await().indefinitely().iterator().next().getLong(0);
    }

    /** A trigger running {@code statement} before each audit insert for this chat only; dropped on close. */
    private AutoCloseable auditTrigger(String chatId, String statement) {
        String name = "audit_" + chatId.replace("-", "");
        database.query("create function " + name + "() returns trigger language plpgsql as $$ begin if new.chat_id = '" + chatId
                + "' then " + statement + "; end if; return new; end $$").execute().await().indefinitely();
        database.query("create trigger " + name + " before insert on monitor_session for each row execute function " + name + "()")
                .execute().await().indefinitely();
        return () -> {
            database.query("drop trigger " + name + " on monitor_session").execute().await().indefinitely();
            database.query("drop function " + name + "()").execute().await().indefinitely();
        };
    }
}
