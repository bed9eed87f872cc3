package dev.baton.problem;

import java.io.ByteArrayInputStream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * PRODUCT.md: a body over 64 KiB is a 413 problem+json, also when it is chunked. Quarkus enforces
 * {@code quarkus.http.limits.max-body-size} itself, but answers with an empty body, and for a
 * chunked body only once Quarkus REST has started reading it (then our 500 mapper collides with its
 * 413). So this route runs just ahead of Quarkus's own limit: it refuses a too-long Content-Length
 * at once and reads a chunked body (at most the limit) before Quarkus REST sees the request.
 */
@Singleton
public class BodyLimit {

    private static final String CHUNKED_BODY = BodyLimit.class.getName() + ".chunked-body";
    private static final long DRAIN_BYTES = 8L * 1024 * 1024;
    private static final long DRAIN_MILLIS = 5_000;

    private final long limit;
    private final byte[] refusal;

    public BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit, ObjectMapper json)
            throws JsonProcessingException {
        this.limit = limit.asLongValue();
        this.refusal = json.writeValueAsBytes(Problem.of(413, "payload-too-large", ProblemMappers.detailFor(413)));
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::enforce);
    }

    void enforce(RoutingContext context) {
        HttpServerRequest request = context.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            if (declaredTooLarge(length)) {
                refuse(context);
            } else {
                context.next();
            }
            return;
        }
        if (!request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || request.isEnded()) {
            context.next();
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (context.response().ended()) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                refuse(context);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(ignored -> {
            if (!context.response().ended()) {
                context.put(CHUNKED_BODY, body);
                context.next();
            }
        });
        request.resume();
    }

    /** Quarkus REST would read the already-consumed request as empty: hand it the body read above. */
    @ServerRequestFilter(preMatching = true)
    public void restoreChunkedBody(ContainerRequestContext request, RoutingContext context) {
        Buffer body = context.get(CHUNKED_BODY);
        if (body != null) {
            request.setEntityStream(new ByteArrayInputStream(body.getBytes()));
        }
    }

    private boolean declaredTooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // Vert.x's HTTP codec refuses a malformed Content-Length before any route runs.
        }
    }

    /**
     * Answers 413 at once, then reads and discards what the client is still sending before closing:
     * closing on a client that is mid-upload resets the connection, and the reset can destroy the
     * answer before the client reads it. Draining is bounded in bytes and time.
     */
    private void refuse(RoutingContext context) {
        HttpServerRequest request = context.request();
        long[] drained = { 0 };
        Runnable close = () -> request.connection().close();
        long timer = context.vertx().setTimer(DRAIN_MILLIS, id -> close.run());
        request.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > DRAIN_BYTES) {
                context.vertx().cancelTimer(timer);
                close.run();
            }
        });
        request.endHandler(ignored -> {
            context.vertx().cancelTimer(timer);
            close.run();
        });
        request.exceptionHandler(ignored -> context.vertx().cancelTimer(timer));
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Buffer.buffer(refusal));
        request.resume();
    }
}
