package dev.baton.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import dev.baton.support.Sockets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/** Forged, tampered, expired and foreign tokens, replay after deactivation, and password guessing. */
@QuarkusTest
class AuthAttackTests {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final List<String> PROTECTED = List.of("/api/v1/agents/me", "/api/v1/chats", "/api/v1/agents");

    @Inject
    TokenService tokens;

    @Test
    void shouldRefuseForgedAndTamperedTokens() throws Exception {
        Api api = Api.signUp();
        Map<String, Object> claims = claims(api.owner.id(), api.workspaceId, 0, 3600);
        String payload = B64.encodeToString(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(claims));
        String none = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + payload + ".";
        String hs256 = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + payload + ".c2ln";
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String header = B64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(generator.generateKeyPair().getPrivate());
        signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        String wrongKey = header + "." + payload + "." + B64.encodeToString(signer.sign());
        String[] real = api.owner.token().split("\\.");
        Map<String, Object> elevated = new HashMap<>(claims);
        elevated.put("sub", UUID.randomUUID().toString());
        String tampered = real[0] + "." + B64.encodeToString(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(elevated))
                + "." + real[2];
        for (String forged : List.of(none, hs256, wrongKey, tampered, "", "a.b", "a.b.c", real[0] + "." + real[1])) {
            for (String path : PROTECTED) {
                given().header("Authorization", "Bearer " + forged).get(path).then().statusCode(401)
                        .contentType("application/problem+json").body("code", equalTo("unauthorized"));
            }
        }
    }

    @Test
    void shouldRefuseExpiredNotYetValidAndCrossWorkspaceTokens() {
        Api a = Api.signUp();
        Api b = Api.signUp();
        String expired = tokens.sign(claims(a.owner.id(), a.workspaceId, -7200, -3600));
        String notYet = tokens.sign(claims(a.owner.id(), a.workspaceId, 3600, 7200));
        String foreign = tokens.sign(claims(a.owner.id(), b.workspaceId, 0, 3600));
        String valid = tokens.sign(claims(a.owner.id(), a.workspaceId, 0, 3600));
        for (String token : List.of(expired, notYet, foreign)) {
            given().header("Authorization", "Bearer " + token).get("/api/v1/agents/me").then().statusCode(401);
        }
        given().header("Authorization", "Bearer " + valid).get("/api/v1/agents/me").then().statusCode(200)
                .body("id", equalTo(a.owner.id()));
    }

    @Test
    void shouldRefuseATokenReplayedAfterDeactivation() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("short-lived", "AGENT");
        agent.as().get("/api/v1/agents/me").then().statusCode(200);
        api.owner.as().body(Map.of("active", false)).patch("/api/v1/agents/" + agent.id()).then().statusCode(200);
        agent.as().get("/api/v1/agents/me").then().statusCode(401).body("code", equalTo("unauthorized"));
        given().contentType(ContentType.JSON).body(Map.of("workspace", api.slug, "username", "short-lived", "password",
                Api.DEFAULT_PASSWORD)).post("/api/v1/auth/login").then().statusCode(401);
    }

    @Test
    void shouldEndEveryEarlierTokenOnDeactivationOrRoleChangeForGood() throws Exception {
        Api api = Api.signUp();
        Staff manager = api.createAgent("revoked", "MANAGER");
        String stolen = manager.token();
        api.owner.as().body(Map.of("active", false)).patch("/api/v1/agents/" + manager.id()).then().statusCode(200);
        api.owner.as().body(Map.of("active", true)).patch("/api/v1/agents/" + manager.id()).then().statusCode(200);
        // Reactivated, but a token from before the deactivation stays dead, on REST and at the socket upgrade.
        given().header("Authorization", "Bearer " + stolen).get("/api/v1/agents/me").then().statusCode(401)
                .body("code", equalTo("unauthorized"));
        assertEquals(401, Sockets.refusal("/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + stolen), List.of()));
        Staff fresh = api.login("revoked");
        fresh.as().get("/api/v1/agents/me").then().statusCode(200).body("role", equalTo("MANAGER"));
        Sockets.openInbox(fresh.token()).close();

        api.owner.as().body(Map.of("role", "AGENT")).patch("/api/v1/agents/" + manager.id()).then().statusCode(200);
        fresh.as().get("/api/v1/agents/me").then().statusCode(401);
        assertEquals(401, Sockets.refusal("/ws/v1/inbox", Sockets.headers("Authorization", "Bearer " + fresh.token()), List.of()));
        api.login("revoked").as().get("/api/v1/agents/me").then().statusCode(200).body("role", equalTo("AGENT"));
        // A change that changes nothing (same role, already active) ends nothing.
        Staff current = api.login("revoked");
        api.owner.as().body(Map.of("role", "AGENT", "active", true)).patch("/api/v1/agents/" + manager.id()).then().statusCode(200);
        current.as().get("/api/v1/agents/me").then().statusCode(200);
    }

    @Test
    void shouldThrottleSimultaneousGuessesAtOneAccountAfterTheBudget() {
        Api api = Api.signUp();
        api.createAgent("target", "AGENT");
        Map<String, String> guess = Map.of("workspace", api.slug, "username", "target", "password", "wrong-password");
        List<Callable<Integer>> guesses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            guesses.add(() -> given().contentType(ContentType.JSON).body(guess).post("/api/v1/auth/login").statusCode());
        }
        List<Integer> statuses = Api.inParallel(guesses);
        // Each guess holds a place in the budget while its password is checked: 5 checked, 25 refused.
        assertEquals(5, statuses.stream().filter(s -> s == 401).count(), statuses.toString());
        assertEquals(25, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
    }

    @Test
    void shouldThrottlePasswordGuessingWithRetryAfter() {
        Api api = Api.signUp();
        Map<String, String> guess = Map.of("workspace", api.slug, "username", "owner", "password", "wrong-password");
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON).body(guess).post("/api/v1/auth/login").then().statusCode(401)
                    .body("code", equalTo("unauthorized"));
        }
        given().contentType(ContentType.JSON).body(guess).post("/api/v1/auth/login").then().statusCode(429)
                .contentType("application/problem+json").header("Retry-After", notNullValue())
                .body("code", equalTo("too-many-requests"));
        // The right password is throttled too while the window lasts: guessing cannot confirm a hit.
        given().contentType(ContentType.JSON).body(Map.of("workspace", api.slug, "username", "owner", "password",
                Api.DEFAULT_PASSWORD)).post("/api/v1/auth/login").then().statusCode(429);
    }

    @Test
    void shouldAnswerEveryLoginFailureWithTheSameGeneric401() {
        Api api = Api.signUp();
        String unknownWorkspace = body("no-such-workspace-" + UUID.randomUUID().toString().substring(0, 8), "owner", "x-password");
        String unknownUser = body(api.slug, "nobody", "x-password");
        String wrongPassword = body(api.slug, "owner", "x-password");
        String detail = null;
        for (String attempt : List.of(unknownWorkspace, unknownUser, wrongPassword)) {
            String d = given().contentType(ContentType.JSON).body(attempt).post("/api/v1/auth/login").then().statusCode(401)
                    .extract().path("detail");
            if (detail != null) {
                org.junit.jupiter.api.Assertions.assertEquals(detail, d);
            }
            detail = d;
        }
    }

    private static String body(String workspace, String username, String password) {
        return "{\"workspace\":\"" + workspace + "\",\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    }

    private static Map<String, Object> claims(String agentId, String workspaceId, long startOffset, long endOffset) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> claims = new HashMap<>();
        claims.put("iss", "baton");
        claims.put("sub", agentId);
        claims.put("ws", workspaceId);
        claims.put("iat", now + startOffset);
        claims.put("nbf", now + startOffset);
        claims.put("exp", now + endOffset);
        claims.put("jti", UUID.randomUUID().toString());
        return claims;
    }
}
