package dev.baton.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL for tests of the packaged application, outside its process: a fixed port and a
 * persistent data directory, so it can be stopped and started again at the same address with
 * the same data (what a database failover or restart looks like to Baton).
 */
public final class ExternalPostgres implements AutoCloseable {

    public static final String USERNAME = "postgres";
    public static final String PASSWORD = "postgres";

    private final int port;
    private final Path dataDirectory;
    private EmbeddedPostgres server;

    private ExternalPostgres(int port, Path dataDirectory) {
        this.port = port;
        this.dataDirectory = dataDirectory;
    }

    /** Initialises a fresh cluster on a free port and starts it. */
    public static ExternalPostgres start() {
        try {
            ExternalPostgres postgres = new ExternalPostgres(freePort(), Files.createTempDirectory("baton-it-pg"));
            postgres.restart();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same port and data directory (no-op when running). */
    public synchronized void restart() {
        if (server != null) {
            return;
        }
        try {
            server = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "200")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL on port " + port, e);
        }
    }

    /** Stops the server (fast shutdown: open connections are cut, as in a crash of the network path). */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server = null;
        }
    }

    public int port() {
        return port;
    }

    /** The value for QUARKUS_DATASOURCE_REACTIVE_URL. */
    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
        stop();
        try (var paths = Files.walk(dataDirectory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
