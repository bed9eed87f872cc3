package dev.baton.it;

import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import io.restassured.RestAssured;

/** The packaged jar, configured only by environment variables, serves authenticated requests. */
class PackagedAppIT {

    private static ExternalPostgres postgres;
    private static PackagedBaton baton;

    @BeforeAll
    static void start() {
        postgres = ExternalPostgres.start();
        baton = PackagedBaton.start(postgres);
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = baton.port();
    }

    @AfterAll
    static void stop() {
        if (baton != null) {
            baton.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        RestAssured.reset();
    }

    @Test
    void shouldServeAnAuthenticatedRequestFromThePackagedJar() {
        Api api = Api.signUp();
        api.owner.as().get("/api/v1/agents/me").then().statusCode(200).body("username", equalTo("owner"));
    }
}
