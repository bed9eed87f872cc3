package dev.baton.support;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads /q/metrics (Prometheus text) from the management interface of the instance under test: in a
 * {@code @QuarkusTest} the port Quarkus bound, for a packaged instance the one set in {@link #port}.
 */
public final class Metrics {

    /** The management port of a packaged instance (as {@code RestAssured.port} is its API port); 0 in {@code @QuarkusTest}. */
    public static int port;

    private Metrics() {
    }

    /** The management port: metrics and health are not served on the API port. */
    public static int managementPort() {
        return port > 0 ? port : ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    /** The whole scrape. */
    public static String scrape() {
        return given().port(managementPort()).get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The value of the first sample of {@code name} whose labels contain {@code labels} (any sample
     * when empty); 0 when there is none yet, as for a counter never incremented.
     */
    public static double sample(String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)})? (\\S+)$").matcher(scrape());
        while (m.find()) {
            if (labels.isEmpty() || (m.group(1) != null && m.group(1).contains(labels))) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    /** The open-sockets gauge of one endpoint ({@code inbox} or {@code monitor}). */
    public static double openSockets(String endpoint) {
        return sample("baton_sockets_open", "endpoint=\"" + endpoint + "\"");
    }
}
