package dev.baton.whatsapp;

import java.util.Set;

/**
 * Which Graph API failures are worth another attempt. Throughput and rate limits, server errors
 * and network trouble pass; everything else (a closed window, an undeliverable number, a template
 * problem, any other 4xx) fails the same way again, so it fails at once.
 */
public final class GraphErrors {

    /** App/WABA rate limits (4, 80007, 613), throughput (130429), pair rate (131056). */
    private static final Set<Integer> TRANSIENT_CODES = Set.of(4, 613, 80007, 130429, 131056);

    private GraphErrors() {
    }

    /**
     * @param httpStatus the HTTP status, or -1 when no answer came (connection refused, reset, timeout)
     * @param code Meta's {@code error.code}, or null when the body had none
     */
    public static boolean transientFailure(int httpStatus, Integer code) {
        if (httpStatus < 0 || httpStatus >= 500 || httpStatus == 429) {
            return true;
        }
        return code != null && TRANSIENT_CODES.contains(code);
    }
}
