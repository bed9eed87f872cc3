package dev.baton.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthTests {

    @Test
    void shouldBeReadyWhenTheDatabaseIsReachableMigratedListeningAndDispatching() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database migrations", "Real-time LISTEN connection", "Real-time event dispatcher",
                        "Reactive PostgreSQL connections health check"));
    }

    @Test
    void shouldReportLiveAndStarted() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database migrations"));
    }
}
