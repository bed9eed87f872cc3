package dev.baton.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.RawResponse;
import dev.baton.support.Api.Staff;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Exclusive custody under a randomized concurrent workload. Threads issue every custody action and
 * replies on a few chats at once, recording each call with its start and end time; a checker then
 * reads the ledger and timeline of each chat and verifies the history is linearizable: one chain,
 * each 2xx in it exactly once at a position consistent with real time, refusals changed nothing,
 * and every reply was written by the holder at that point of the chain.
 *
 * <p>Fixed seed in CI; a longer run: {@code -Dbaton.stress.seed=<n> -Dbaton.stress.ops=<n>}.
 */
@QuarkusTest
class CustodyLinearizabilityTests {

    private static final long SEED = Long.getLong("baton.stress.seed", 20240611L);
    private static final int OPS = Integer.getInteger("baton.stress.ops", 600);
    private static final int THREADS = 8;
    private static final int CHATS = 3;
    private static final List<String> ACTIONS = List.of("intervene", "takeover", "transfer", "release", "resolve", "reopen",
            "reply", "reply");
    private static final Set<Integer> REFUSALS = Set.of(403, 404, 409, 412);

    /** One call as the client saw it. {@code seq}: the ledger entry (transition) or timeline entry (reply) it reported. */
    record Op(int id, Staff actor, String chatId, String action, String targetId, long start, long end, int status,
            String code, long seq, long version) {

        boolean committed() {
            return status / 100 == 2;
        }

        boolean transition() {
            return !action.equals("reply");
        }
    }

    @Test
    void shouldKeepEveryChatsHistoryLinearizable() throws Exception {
        Api api = Api.signUp();
        List<Staff> staff = List.of(api.owner, api.createAgent("manager1", "MANAGER"), api.createAgent("agent1", "AGENT"),
                api.createAgent("agent2", "AGENT"), api.createAgent("agent3", "AGENT"));
        List<String> chats = new ArrayList<>();
        Map<String, Integer> initialEntries = new HashMap<>();
        for (int i = 0; i < CHATS; i++) {
            String chatId = api.newChat(true);
            chats.add(chatId);
            initialEntries.put(chatId, Api.timeline(api.owner, chatId).size());
        }
        Map<String, Long> lastVersionSeen = new ConcurrentHashMap<>();
        List<Op> ops = Collections.synchronizedList(new ArrayList<>());

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(pool.submit(() -> {
                Random random = new Random(SEED * 31 + thread);
                for (int i = thread; i < OPS; i += THREADS) {
                    ops.add(call(i, random, staff, chats, lastVersionSeen));
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        List<String> violations = new ArrayList<>();
        for (Op op : ops) {
            if (!op.committed() && !REFUSALS.contains(op.status)) {
                violations.add("op " + op.id + " " + op.action + " answered " + op.status + " " + op.code);
            }
        }
        for (String chatId : chats) {
            List<Op> mine = ops.stream().filter(op -> op.chatId.equals(chatId)).toList();
            violations.addAll(check(api.owner, chatId, initialEntries.get(chatId), mine));
        }
        long committed = ops.stream().filter(Op::committed).count();
        System.out.printf("linearizability: %d ops, %d committed, %d refused, %d violations (seed %d, %d threads, %d chats)%n",
                ops.size(), committed, ops.size() - committed, violations.size(), SEED, THREADS, CHATS);
        assertTrue(violations.isEmpty(), String.join("\n", violations.subList(0, Math.min(20, violations.size()))));
        assertTrue(committed > ops.size() / 10, "the workload should commit a fair share of its calls: " + committed);
    }

    private static Op call(int id, Random random, List<Staff> staff, List<String> chats, Map<String, Long> lastVersionSeen) {
        Staff actor = staff.get(random.nextInt(staff.size()));
        String chatId = chats.get(random.nextInt(chats.size()));
        String action = ACTIONS.get(random.nextInt(ACTIONS.size()));
        String targetId = null;
        JsonObject body = new JsonObject();
        switch (action) {
            case "transfer" -> {
                targetId = staff.get(random.nextInt(staff.size())).id();
                body.put("toAgentId", targetId).put("force", true).put("note", "op " + id);
            }
            case "reply" -> body.put("text", "reply " + id + " from " + actor.username());
            case "release", "resolve" -> body.put("note", "op " + id);
            default -> body = null;
        }
        List<String> headers = new ArrayList<>();
        Long known = lastVersionSeen.get(chatId);
        if (!action.equals("reply") && known != null && random.nextInt(5) == 0) {
            headers.add("If-Match");
            headers.add("\"" + known + "\"");
        }
        String path = "/api/v1/chats/" + chatId + "/" + (action.equals("reply") ? "messages" : action);
        long start = System.nanoTime();
        RawResponse response = Api.raw(io.restassured.RestAssured.port, "POST", path, actor.token(),
                body == null ? null : body.encode().getBytes(StandardCharsets.UTF_8), false, headers.toArray(String[]::new));
        long end = System.nanoTime();
        JsonObject json = response.body().isEmpty() ? new JsonObject() : response.json();
        long seq = -1;
        long version = -1;
        if (response.status() / 100 == 2) {
            if (action.equals("reply")) {
                seq = json.getLong("seq");
            } else {
                seq = json.getLong("lastSeq");
                version = json.getLong("version");
                lastVersionSeen.merge(chatId, version, Math::max);
            }
        }
        return new Op(id, actor, chatId, action, targetId, start, end, response.status(), json.getString("code"), seq, version);
    }

    /** Every property of one chat's history; returns the violations found. */
    private static List<String> check(Staff reader, String chatId, int initialEntries, List<Op> ops) {
        List<String> violations = new ArrayList<>();
        String chat = "chat " + chatId.substring(0, 8) + ": ";
        List<Map<String, Object>> timeline = Api.timeline(reader, chatId);
        List<Map<String, Object>> ledger = Api.custody(reader, chatId);
        JsonObject current = new JsonObject(Api.chat(reader, chatId).asString());

        for (int i = 0; i < timeline.size(); i++) {
            if (((Number) timeline.get(i).get("seq")).longValue() != i + 1) {
                violations.add(chat + "timeline seqs are not 1..n at index " + i);
                break;
            }
        }
        List<Op> committed = ops.stream().filter(Op::committed).toList();
        if (timeline.size() != initialEntries + committed.size()) {
            violations.add(chat + "timeline grew by " + (timeline.size() - initialEntries) + " entries for " + committed.size()
                    + " committed calls (a refused call changed something, or a commit is missing)");
        }

        // The chain: each entry's from is the previous entry's to; the chat's holder is the last to.
        Map<Long, Map<String, Object>> ledgerBySeq = new HashMap<>();
        String holder = null;
        long previousSeq = 0;
        for (Map<String, Object> entry : ledger) {
            long seq = ((Number) entry.get("seq")).longValue();
            ledgerBySeq.put(seq, entry);
            Map<String, Object> custody = map(entry.get("custody"));
            String from = personId(custody.get("from"));
            if (previousSeq > 0 && !Objects.equals(from, holder)) {
                violations.add(chat + "ledger breaks at seq " + seq + ": from " + from + " but held by " + holder);
            }
            holder = personId(custody.get("to"));
            previousSeq = seq;
        }
        String finalHolder = current.getJsonObject("holder") == null ? null : current.getJsonObject("holder").getString("id");
        if (!Objects.equals(finalHolder, holder)) {
            violations.add(chat + "holder " + finalHolder + " but the ledger ends with " + holder);
        }
        if (current.getLong("lastSeq") != timeline.size()) {
            violations.add(chat + "lastSeq " + current.getLong("lastSeq") + " but " + timeline.size() + " entries");
        }

        // Each committed call is in the history exactly once, as what it claims, by whom it claims.
        Set<Long> claimed = new HashSet<>();
        for (Op op : committed) {
            if (!claimed.add(op.seq)) {
                violations.add(chat + "seq " + op.seq + " reported by two committed calls");
                continue;
            }
            if (op.transition()) {
                Map<String, Object> entry = ledgerBySeq.get(op.seq);
                if (entry == null) {
                    violations.add(chat + "committed " + op.action + " (op " + op.id + ", seq " + op.seq + ") not in the ledger");
                    continue;
                }
                Map<String, Object> custody = map(entry.get("custody"));
                if (!op.action.toUpperCase().equals(custody.get("action")) || !op.actor.id().equals(personId(entry.get("author")))) {
                    violations.add(chat + "seq " + op.seq + " is " + custody.get("action") + " by " + personId(entry.get("author"))
                            + ", not op " + op.id + " " + op.action + " by " + op.actor.username());
                }
                if (op.action.equals("transfer") && !op.targetId.equals(personId(custody.get("to")))) {
                    violations.add(chat + "transfer op " + op.id + " went to " + personId(custody.get("to")));
                }
            } else {
                Map<String, Object> entry = timeline.get((int) op.seq - 1);
                String holderThen = holderBefore(ledger, op.seq);
                if (!"OUTBOUND".equals(entry.get("kind")) || !op.actor.id().equals(personId(entry.get("author")))) {
                    violations.add(chat + "reply op " + op.id + " reported seq " + op.seq + " which is " + entry.get("kind"));
                } else if (!op.actor.id().equals(holderThen)) {
                    violations.add(chat + "reply at seq " + op.seq + " by " + op.actor.username() + " while " + holderThen + " held the chat");
                }
            }
        }
        // Versions grow with the chain: the k-th custody change after the start has version initial + k.
        List<Op> transitions = committed.stream().filter(Op::transition).sorted((a, b) -> Long.compare(a.seq, b.seq)).toList();
        for (int i = 1; i < transitions.size(); i++) {
            if (transitions.get(i).version != transitions.get(i - 1).version + 1) {
                violations.add(chat + "version " + transitions.get(i).version + " follows " + transitions.get(i - 1).version);
            }
        }
        // Real time: a call that finished before another started is earlier in the history.
        for (Op a : committed) {
            for (Op b : committed) {
                if (a.end < b.start && a.seq > b.seq) {
                    violations.add(chat + "op " + a.id + " (seq " + a.seq + ") finished before op " + b.id + " (seq " + b.seq
                            + ") started, yet is later");
                }
            }
        }
        return violations;
    }

    /** Who held the chat just before timeline position {@code seq}. */
    private static String holderBefore(List<Map<String, Object>> ledger, long seq) {
        String holder = null;
        for (Map<String, Object> entry : ledger) {
            if (((Number) entry.get("seq")).longValue() >= seq) {
                break;
            }
            holder = personId(map(entry.get("custody")).get("to"));
        }
        return holder;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static String personId(Object person) {
        return person == null ? null : (String) map(person).get("id");
    }
}
