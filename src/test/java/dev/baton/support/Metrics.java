package dev.baton.support;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads /q/metrics (Prometheus text) of the instance rest-assured points at. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The value of the first sample of {@code name} whose labels contain {@code labels} (any sample
     * when empty); 0 when there is none yet, as for a counter never incremented.
     */
    public static double sample(String name, String labels) {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)})? (\\S+)$").matcher(scrape);
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
