package dev.baton.it;

import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.baton.support.Api;
import io.restassured.RestAssured;

/** The packaged jar, configured only by environment variables, serves authenticated requests. */
class PackagedAppIT {

    @RegisterExtension
    static final PackagedStack stack = new PackagedStack();

    @BeforeAll
    static void pointRestAssuredAtTheStack() {
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = stack.baton().port();
    }

    @AfterAll
    static void reset() {
        RestAssured.reset();
    }

    @Test
    void shouldServeAnAuthenticatedRequestFromThePackagedJar() {
        Api api = Api.signUp();
        api.owner.as().get("/api/v1/agents/me").then().statusCode(200).body("username", equalTo("owner"));
    }
}
