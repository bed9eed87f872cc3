package dev.baton.it;

import static dev.baton.support.Api.expectProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.baton.support.Api;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Password guessing spread over many accounts from one client runs into the per-address budget (the
 * @QuarkusTest profile raises that budget, since every test client is 127.0.0.1; here a packaged
 * instance runs with a small one, as an operator would set it, behind a trusted proxy on 127.0.0.1
 * that forwards each client's address in X-Forwarded-For).
 */
class LoginThrottleIT {

    private static final int PER_ADDRESS = 10;
    private static final String GUESSER = "203.0.113.9";

    @RegisterExtension
    static final PackagedStack stack = new PackagedStack(Map.of("BATON_LOGIN_MAX_FAILURES_PER_ADDRESS", Integer.toString(PER_ADDRESS),
            "BATON_TRUSTED_PROXIES", "127.0.0.1/32"));

    @AfterEach
    void resetPort() {
        RestAssured.reset();
    }

    @Test
    void shouldThrottleOneForwardedAddressGuessingAcrossManyAccountsWithoutLockingOutAnyoneElse() {
        RestAssured.port = stack.baton().port();
        Api api = Api.signUp();
        api.createAgent("victim", "AGENT");
        for (int i = 0; i < PER_ADDRESS; i++) {
            // A different account each time: the per-account budget (5) is never reached.
            expectProblem(login(api.slug, "guess" + i, "wrong password", GUESSER), 401, "unauthorized");
        }
        Response throttled = login(api.slug, "guess-next", "wrong password", GUESSER);
        expectProblem(throttled, 429, "too-many-requests");
        long retryAfter = Long.parseLong(throttled.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 300, "Retry-After " + retryAfter);
        // A hop the guesser writes itself, left of the proxy's, does not buy it a fresh address.
        expectProblem(login(api.slug, "guess-spoofed", "wrong password", "198.51.100.77, " + GUESSER), 429, "too-many-requests");
        // Other clients behind the same proxy are not held back, and a right password still logs in
        // from the guessing address: one anonymous client cannot lock everybody out.
        expectProblem(login(api.slug, "victim", "wrong password", "198.51.100.2"), 401, "unauthorized");
        login(api.slug, "victim", Api.DEFAULT_PASSWORD, GUESSER).then().statusCode(200);
        login(api.slug, "victim", Api.DEFAULT_PASSWORD, null).then().statusCode(200);
        System.out.printf("login throttling: %d failed logins over %d accounts from one forwarded address, then 429 with Retry-After %d s "
                + "for its wrong passwords (a spoofed X-Forwarded-For included); other addresses 401, right passwords 200%n",
                PER_ADDRESS, PER_ADDRESS, retryAfter);
    }

    private static Response login(String workspace, String username, String password, String forwardedFor) {
        var request = given().contentType(ContentType.JSON);
        if (forwardedFor != null) {
            request = request.header("X-Forwarded-For", forwardedFor);
        }
        return request.body(Map.of("workspace", workspace, "username", username, "password", password)).post("/api/v1/auth/login");
    }
}
