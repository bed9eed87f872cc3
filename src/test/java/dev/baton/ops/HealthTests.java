package dev.baton.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import dev.baton.support.Metrics;
import io.quarkus.test.junit.QuarkusTest;

/** Health and metrics are served on the management interface only; "started" needs nothing but the process. */
@QuarkusTest
class HealthTests {

    @Test
    void shouldBeReadyWhenTheDatabaseIsReachableMigratedListeningAndDispatching() {
        management().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database migrations", "Real-time LISTEN connection", "Real-time event dispatcher",
                        "Reactive PostgreSQL connections health check"));
    }

    @Test
    void shouldReportLiveAndStartedWithoutWaitingForTheDatabase() {
        management().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        // A pod whose database is still bootstrapping must not be restarted by its startup probe:
        // the database and the migrations belong to readiness alone.
        management().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", not(hasItems("Database migrations")))
                .body("checks.name", not(hasItems("Reactive PostgreSQL connections health check")));
    }

    @Test
    void shouldServeNoManagementEndpointOnTheApiPort() {
        for (String path : new String[] { "/q/metrics", "/q/health", "/q/health/ready", "/q/health/live", "/q/health/started" }) {
            given().get(path).then().statusCode(404);
        }
        management().get("/q/metrics").then().statusCode(200);
    }

    private static io.restassured.specification.RequestSpecification management() {
        return given().port(Metrics.managementPort());
    }
}
