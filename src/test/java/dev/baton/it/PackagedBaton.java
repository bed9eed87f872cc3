package dev.baton.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}, prod profile) as a child
 * process, configured only through environment variables, the way a container runs it. Every
 * instance of a test run shares one JWT key pair and one secrets key, as replicas do.
 */
public final class PackagedBaton implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path LOGS = Path.of("target", "it-logs");
    // Generous: a start on a machine running other builds has taken 60 s; a healthy start takes 2–5 s.
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static Path keyDirectory;

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PackagedBaton(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** Starts an instance against {@code postgres} and waits until it reports ready. */
    public static PackagedBaton start(ExternalPostgres postgres) {
        return start(postgres, Map.of());
    }

    /** Same, with extra environment variables (which win over the defaults). */
    public static PackagedBaton start(ExternalPostgres postgres, Map<String, String> extraEnv) {
        PackagedBaton baton = launch(postgres, extraEnv);
        baton.awaitReady();
        return baton;
    }

    /** Starts the process and returns at once, without waiting for readiness. */
    public static PackagedBaton launch(ExternalPostgres postgres, Map<String, String> extraEnv) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the tests with ./mvnw verify (after package)");
        }
        int port = ExternalPostgres.freePort();
        int managementPort = ExternalPostgres.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", ExternalPostgres.USERNAME);
        env.put("QUARKUS_DATASOURCE_PASSWORD", ExternalPostgres.PASSWORD);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("BATON_SIGNUP_ENABLED", "true");
        env.put("BATON_PASSWORD_ITERATIONS", "1000");
        Path keys = keyDirectory();
        env.put("BATON_JWT_PRIVATE_KEY_LOCATION", keys.resolve("private.pem").toString());
        env.put("BATON_JWT_PUBLIC_KEY_LOCATION", keys.resolve("public.pem").toString());
        env.put("BATON_SECRETS_KEY_LOCATION", keys.resolve("secrets.key").toString());
        env.putAll(extraEnv);
        try {
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve("baton-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-Xmx256m", "-jar", JAR.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            return new PackagedBaton(builder.start(), port, managementPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code /q/health/ready} (management port) until it answers 200; fails with the log's tail if the process dies or times out. */
    public void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Baton exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (health("ready") == 200) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("Baton was not ready within " + READY_TIMEOUT + ":\n" + logTail());
    }

    /** The HTTP status of a GET on {@code path} of the API port, or -1 when nothing answers. */
    public int status(String path) {
        return get(baseUrl() + path);
    }

    /** The status of {@code /q/health/{probe}} (live, ready, started) on the management port, as the kubelet probes it. */
    public int health(String probe) {
        return get("http://127.0.0.1:" + managementPort + "/q/health/" + probe);
    }

    private int get(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Health and metrics are served here, not on {@link #port()}. */
    public int managementPort() {
        return managementPort;
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Process process() {
        return process;
    }

    /** Sends SIGTERM, as Kubernetes does on pod deletion; returns at once. */
    public void sigterm() {
        process.destroy();
    }

    /** Sends SIGKILL and waits for the process to be gone. */
    public void kill9() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** Waits for the process to exit; returns its exit code, or -1 if it is still running after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            sigterm();
            if (awaitExit(Duration.ofSeconds(30)) == -1) {
                kill9();
            }
        }
    }

    private String logTail() {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static synchronized Path keyDirectory() {
        if (keyDirectory == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Path dir = Files.createTempDirectory("baton-it-keys");
                Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.writeString(dir.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                byte[] secretsKey = new byte[32];
                new java.security.SecureRandom().nextBytes(secretsKey);
                Files.writeString(dir.resolve("secrets.key"), Base64.getEncoder().encodeToString(secretsKey) + "\n");
                keyDirectory = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return keyDirectory;
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
