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
 * Password guessing spread over many accounts from one address runs into the per-address budget
 * (the @QuarkusTest profile raises that budget, since every test client is 127.0.0.1; here a
 * packaged instance runs with a small one, as an operator would set it).
 */
class LoginThrottleIT {

    private static final int PER_ADDRESS = 10;

    @RegisterExtension
    static final PackagedStack stack = new PackagedStack(Map.of("BATON_LOGIN_MAX_FAILURES_PER_ADDRESS", Integer.toString(PER_ADDRESS)));

    @AfterEach
    void resetPort() {
        RestAssured.reset();
    }

    @Test
    void shouldThrottleOneAddressGuessingAcrossManyAccounts() {
        RestAssured.port = stack.baton().port();
        Api api = Api.signUp();
        api.createAgent("victim", "AGENT");
        for (int i = 0; i < PER_ADDRESS; i++) {
            // A different account each time: the per-account budget (5) is never reached.
            expectProblem(login(api.slug, "guess" + i, "wrong password"), 401, "unauthorized");
        }
        Response throttled = login(api.slug, "guess-next", "wrong password");
        expectProblem(throttled, 429, "too-many-requests");
        long retryAfter = Long.parseLong(throttled.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 300, "Retry-After " + retryAfter);
        // The address is held back as a whole, even with the right password of an untouched account.
        expectProblem(login(api.slug, "victim", Api.DEFAULT_PASSWORD), 429, "too-many-requests");
        System.out.printf("login throttling: %d failed logins over %d accounts from one address, then 429 with Retry-After %d s, "
                + "also for a correct password from that address%n", PER_ADDRESS, PER_ADDRESS, retryAfter);
    }

    private static Response login(String workspace, String username, String password) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("workspace", workspace, "username", username, "password", password)).post("/api/v1/auth/login");
    }
}
