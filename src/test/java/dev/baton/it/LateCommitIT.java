package dev.baton.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import dev.baton.support.Sockets.Client;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * A writer whose commit is held back while others commit (a stalled network, a GC pause): its
 * event is still delivered, in seq order for its chat, on both instances — also on an instance
 * started while that transaction was open. The hold is a deferred trigger on {@code event} that
 * waits for an advisory lock this test holds, so a real inbound request has written its event and
 * hangs in COMMIT until the test lets it go.
 */
class LateCommitIT {

    private static final long LOCK = 4242;
    /**
     * The 30 s after which the old dispatcher gave up a missing id, set short, so that a hold of a few
     * seconds is past it: the dispatcher now has no such expiry, and this setting no longer exists.
     */
    @RegisterExtension
    static final PackagedStack stack = new PackagedStack(Map.of("BATON_REALTIME_GAP_EXPIRY", "PT1S"));

    @AfterEach
    void resetPort() {
        RestAssured.reset();
    }

    @Test
    void shouldDeliverAnEventCommittedLongAfterLaterOnesOnBothInstances() throws Exception {
        PackagedBaton second = stack.second();
        RestAssured.port = stack.baton().port();
        Story story = Story.begin();
        Client first = inboxOn(stack.baton(), story.agent);
        Client other = inboxOn(second, story.agent);

        try (Connection db = holdCommitsOf(story.chatId)) {
            CompletableFuture<Response> late = story.sendLate(db);
            story.othersCommit(first, other);
            TimeUnit.SECONDS.sleep(3); // the hold itself, past the old expiry; the assertions below are the proof
            release(db);
            long seq = late.get(30, TimeUnit.SECONDS).then().statusCode(201).extract().<Integer>path("seq");
            story.followUp();
            assertEquals(List.of("late " + seq, "after " + (seq + 1)), story.messagesOn(first));
            assertEquals(List.of("late " + seq, "after " + (seq + 1)), story.messagesOn(other));
        }
    }

    @Test
    void shouldDeliverItOnAnInstanceStartedWhileTheTransactionWasOpen() throws Exception {
        PackagedBaton second = stack.second();
        RestAssured.port = stack.baton().port();
        Story story = Story.begin();
        Client first = inboxOn(stack.baton(), story.agent);

        try (Connection db = holdCommitsOf(story.chatId)) {
            CompletableFuture<Response> late = story.sendLate(db);
            story.othersCommit(first, inboxOn(second, story.agent));
            second.close();
            PackagedBaton restarted = stack.startInstance();
            Client onRestarted = inboxOn(restarted, story.agent);
            story.othersCommit(first, onRestarted);
            release(db);
            long seq = late.get(30, TimeUnit.SECONDS).then().statusCode(201).extract().<Integer>path("seq");
            story.followUp();
            assertEquals(List.of("late " + seq, "after " + (seq + 1)), story.messagesOn(first));
            assertEquals(List.of("late " + seq, "after " + (seq + 1)), story.messagesOn(onRestarted));
        }
    }

    /** A workspace whose agent holds one chat, the one whose next message will commit late. */
    private record Story(Api api, Staff agent, String phone, String chatId) {

        static Story begin() {
            Api api = Api.signUp();
            Staff agent = api.createAgent("holder", "AGENT");
            String phone = Api.randomPhone();
            String chatId = api.inbound(phone, "Hi", true).then().statusCode(201).extract().path("chatId");
            Api.act(agent, chatId, "intervene").then().statusCode(200);
            return new Story(api, agent, phone, chatId);
        }

        /** Posts the message that will commit late; returns once its transaction is waiting in COMMIT. */
        CompletableFuture<Response> sendLate(Connection db) throws Exception {
            CompletableFuture<Response> late = CompletableFuture.supplyAsync(() -> api.inbound(phone, "late", false));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!waitingForTheLock(db)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the late transaction never reached its commit");
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            return late;
        }

        /** New chats queued while the late one is open: later event ids, committed first, delivered at once. */
        void othersCommit(Client... inboxes) throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                String queued = api.inbound(Api.randomPhone(), "meanwhile", true).then().statusCode(201).extract().path("chatId");
                for (Client inbox : inboxes) {
                    JsonObject frame;
                    do {
                        frame = inbox.next("chat.queued");
                    } while (!queued.equals(frame.getString("chatId")));
                }
            }
        }

        void followUp() {
            api.inbound(phone, "after", false).then().statusCode(201);
        }

        /** The held chat's messages an inbox received, as "text seq", until the follow-up. */
        List<String> messagesOn(Client inbox) throws InterruptedException {
            List<String> texts = new ArrayList<>();
            while (texts.isEmpty() || !texts.get(texts.size() - 1).startsWith("after")) {
                JsonObject frame = inbox.next("message.created");
                if (chatId.equals(frame.getString("chatId"))) {
                    texts.add(frame.getJsonObject("data").getString("text") + " " + frame.getLong("seq"));
                }
            }
            return texts;
        }
    }

    private static Client inboxOn(PackagedBaton instance, Staff staff) throws InterruptedException {
        Client client = Sockets.connect(instance.port(), "/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + staff.token()));
        client.next("inbox.snapshot");
        return client;
    }

    /** Installs the hold (once) and takes the lock: from now on, a transaction writing an event of this chat waits in COMMIT. */
    private static Connection holdCommitsOf(String chatId) throws SQLException {
        Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + stack.postgres().port() + "/postgres",
                ExternalPostgres.USERNAME, ExternalPostgres.PASSWORD);
        try (Statement s = db.createStatement()) {
            s.execute("create table if not exists late_commit (chat_id uuid primary key)");
            s.execute("""
                    create or replace function late_commit() returns trigger language plpgsql as $$
                    begin
                        if exists (select 1 from late_commit where chat_id = new.chat_id) then
                            perform pg_advisory_lock(%d);
                            perform pg_advisory_unlock(%d);
                        end if;
                        return null;
                    end $$""".formatted(LOCK, LOCK));
            s.execute("drop trigger if exists late_commit on event");
            s.execute("create constraint trigger late_commit after insert on event deferrable initially deferred "
                    + "for each row execute function late_commit()");
            s.execute("select pg_advisory_lock(" + LOCK + ")");
            s.execute("insert into late_commit values ('" + chatId + "')");
        }
        return db;
    }

    private static boolean waitingForTheLock(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("select count(*) from pg_locks where locktype = 'advisory' and not granted")) {
            r.next();
            return r.getInt(1) > 0;
        }
    }

    private static void release(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("delete from late_commit");
            s.execute("select pg_advisory_unlock(" + LOCK + ")");
        }
    }
}
