package dev.baton.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import io.restassured.RestAssured;

/**
 * The Kubernetes split (k8s/base/migrate-job.yaml): pods run with BATON_MIGRATE_AT_START=false and
 * stay unready on an unmigrated database, yet count as started (a startup probe that waited for the
 * migrations would restart them in back-off while the Job runs); the Job (same jar, QUARKUS_INIT_AND_EXIT=true) applies
 * the migrations and exits 0; the waiting pod then turns ready by itself and serves.
 */
class MigrationJobIT {

    @Test
    void shouldServeOnlyOnceTheJobHasMigratedTheDatabase() {
        try (ExternalPostgres postgres = ExternalPostgres.start();
                PackagedBaton pod = PackagedBaton.launch(postgres, Map.of("BATON_MIGRATE_AT_START", "false"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> pod.health("live"), equalTo(200));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15)).until(() -> pod.health("ready"), equalTo(503));
            assertEquals(200, pod.health("started"), "started is the process being up, not the database");

            try (PackagedBaton job = PackagedBaton.launch(postgres,
                    // As k8s/base/migrate-job.yaml runs it: without the JWT key pair, which it does not mount.
                    Map.of("BATON_MIGRATE_AT_START", "true", "QUARKUS_INIT_AND_EXIT", "true",
                            "BATON_JWT_PRIVATE_KEY_LOCATION", "", "BATON_JWT_PUBLIC_KEY_LOCATION", ""))) {
                assertEquals(0, job.awaitExit(Duration.ofSeconds(60)), "the migration Job must exit 0:\n" + job.logText());
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> pod.health("ready"), equalTo(200));
            RestAssured.port = pod.port();
            Api api = Api.signUp();
            api.owner.as().get("/api/v1/agents/me").then().statusCode(200).body("id", equalTo(api.owner.id()));
        } finally {
            RestAssured.reset();
        }
    }
}
