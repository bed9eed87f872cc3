package dev.baton.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.baton.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import jakarta.inject.Inject;

/**
 * Every Baton connection to PostgreSQL uses TLS when the datasource asks for it. The embedded test
 * server (config/EmbeddedPostgresServer) accepts TLS only and Baton runs with verify-full against
 * its certificate, so every test already depends on it; here each kind of connection is checked
 * in pg_stat_ssl by its application_name: requests, real-time, LISTEN and Flyway's JDBC ones
 * (before, the real-time pool and LISTEN were built from the URL alone and stayed plain text).
 */
@QuarkusTest
class DatabaseTlsTests {

    @Inject
    Pool requests;

    @Inject
    DataSource migrations;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;

    @Test
    void shouldEncryptEveryConnectionOfEveryKind() throws SQLException {
        // Real-time traffic so the outbox reader's pool has connections open.
        Api api = Api.signUp();
        api.inbound(Api.randomPhone(), "hello", true).then().statusCode(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> tlsByApplication().keySet()
                .containsAll(List.of("baton", "baton-realtime", "baton-listen", "baton-background")));
        Map<String, Boolean> tls = tlsByApplication();
        tls.forEach((application, encrypted) -> assertTrue(encrypted, application + " connects in plain text: " + tls));

        try (Connection jdbc = migrations.getConnection(); ResultSet rs = jdbc.createStatement().executeQuery(
                "select s.ssl, a.application_name from pg_stat_ssl s join pg_stat_activity a using (pid) where pid = pg_backend_pid()")) {
            assertTrue(rs.next());
            assertEquals("baton-migrations", rs.getString(2));
            assertTrue(rs.getBoolean(1), "Flyway's JDBC connection is not encrypted");
        }
    }

    @Test
    void shouldBeRefusedInPlainText() {
        // Named, or its client meters would be published unprefixed (DomainMetricsTests refuses those).
        PgConnectOptions plain = PgConnectOptions.fromUri(url).setUser("postgres").setPassword("postgres").setSslMode(SslMode.DISABLE)
                .setMetricsName("postgresql|plain-text-probe");
        Throwable refused = assertThrows(Throwable.class, () -> PgConnection.connect(vertx, plain).await().atMost(Duration.ofSeconds(10)));
        assertTrue(String.valueOf(refused.getMessage()).contains("no encryption"), "refused for another reason: " + refused);
    }

    /** application_name → every one of its TCP connections uses TLS. */
    private Map<String, Boolean> tlsByApplication() {
        Map<String, Boolean> tls = new HashMap<>();
        for (Row row : requests.query("select a.application_name, s.ssl from pg_stat_activity a join pg_stat_ssl s using (pid) "
                + "where a.backend_type = 'client backend' and a.client_port is not null").execute().await().atMost(Duration.ofSeconds(10))) {
            tls.merge(row.getString(0), row.getBoolean(1), Boolean::logicalAnd);
        }
        return tls;
    }
}
