package dev.baton.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On SIGTERM the service finishes the requests in flight, refuses new ones and exits well within the grace period. */
class GracefulShutdownIT {

    /** The Deployment's terminationGracePeriodSeconds. */
    private static final Duration GRACE_PERIOD = Duration.ofSeconds(30);

    // Production-strength password hashing makes a sign-up slow enough to be caught in flight.
    @RegisterExtension
    static final PackagedStack stack = new PackagedStack(Map.of("BATON_PASSWORD_ITERATIONS", "2000000"));

    @Test
    void shouldFinishInFlightRequestsThenExit() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = """
                {"name":"Late Co","slug":"late-co","owner":{"username":"owner","displayName":"Owner","password":"correct horse battery"}}""";
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                HttpRequest.newBuilder(URI.create(stack.baton().baseUrl() + "/api/v1/workspaces"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertTrue(!inFlight.isDone(), "the sign-up should still be hashing when SIGTERM arrives");

        long signalled = System.nanoTime();
        stack.baton().sigterm();

        assertEquals(201, inFlight.get(GRACE_PERIOD.toSeconds(), TimeUnit.SECONDS).statusCode());
        int exit = stack.baton().awaitExit(GRACE_PERIOD);
        Duration took = Duration.ofNanos(System.nanoTime() - signalled);
        assertNotEquals(-1, exit, "still running after the grace period");
        assertTrue(took.compareTo(GRACE_PERIOD) < 0, "took " + took);
        assertEquals(-1, stack.baton().health("live"), "nothing listens after exit");
        assertTrue(stack.baton().logText().contains("stopped in"), "Quarkus logs an orderly stop");
    }
}
