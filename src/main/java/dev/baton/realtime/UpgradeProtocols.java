package dev.baton.realtime;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.problem.ApiException;
import dev.baton.problem.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.websockets.next.HandshakeRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Refuses an upgrade whose {@code Sec-WebSocket-Protocol} list cannot be read, with 401
 * problem+json (the credentials it may carry cannot be read): an entry that is not valid
 * percent-encoding (a browser's token carrier is {@code encodeURIComponent(...)}), a carrier that
 * is not {@code quarkus-http-upgrade#header#value}, or a carrier with no protocol to select beside
 * it. Without it, Quarkus's header propagation or {@link SocketAccess} threw or failed the request,
 * and the client got a 500 and the log an ERROR (with a stack trace for the first). It runs ahead
 * of Quarkus's propagation filter (priority 220).
 */
@Singleton
public class UpgradeProtocols {

    private static final int PRIORITY = Integer.MAX_VALUE - 1;
    private static final String CARRIER = "quarkus-http-upgrade";

    private final Buffer refusal;

    public UpgradeProtocols(ObjectMapper json) throws JsonProcessingException {
        ApiException unauthorized = ApiException.unauthorized();
        this.refusal = Buffer.buffer(json.writeValueAsBytes(Problem.of(401, unauthorized.code(), unauthorized.getMessage())));
    }

    void install(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void check(RoutingContext context) {
        String protocols = context.request().getHeader(HandshakeRequest.SEC_WEBSOCKET_PROTOCOL);
        if (protocols == null || !context.request().headers().contains(HandshakeRequest.SEC_WEBSOCKET_KEY) || readable(protocols)) {
            context.next();
            return;
        }
        context.response().setStatusCode(401).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("WWW-Authenticate", "Bearer").end(refusal);
    }

    private static boolean readable(String protocols) {
        boolean carrier = false;
        boolean other = false;
        try {
            for (String protocol : protocols.split(",")) {
                String decoded = URLDecoder.decode(protocol.trim(), StandardCharsets.UTF_8);
                if (protocol.trim().startsWith(CARRIER)) {
                    carrier = true;
                    if (decoded.split("#").length != 3) {
                        return false;
                    }
                } else {
                    other = true;
                }
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        return other || !carrier;
    }
}
