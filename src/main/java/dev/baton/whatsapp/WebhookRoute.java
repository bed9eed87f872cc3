package dev.baton.whatsapp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.channel.Channel;
import dev.baton.channel.SecretBox;
import dev.baton.problem.Problem;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code /api/v1/webhooks/whatsapp/{channelId}}, the callback URL given to Meta.
 *
 * <p>A plain Vert.x route ahead of the global 64 KiB body limit ({@code problem/BodyLimit}), which
 * it replaces on this path with Meta's 3 MB: the route reads the raw bytes itself, checks
 * {@code X-Hub-Signature-256} over exactly those bytes before anything parses them, stores the
 * verified body in one insert and only then answers 200. Processing follows, off the request
 * ({@link WebhookProcessor}). The verification GET carries no signature and checks none.
 */
@Singleton
public class WebhookRoute {

    private static final Logger LOG = Logger.getLogger(WebhookRoute.class);
    static final String PATH = "/api/v1/webhooks/whatsapp/:channelId";
    static final long MAX_BODY = 3L * 1024 * 1024;
    private static final String CHANNEL = "select app_secret, verify_token, active from channel where id = $1";
    private static final String STORE = "insert into whatsapp_receipt (channel_id, body) values ($1, $2)";

    private final Pool pool;
    private final SecretBox secrets;
    private final WebhookProcessor processor;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    public WebhookRoute(Pool pool, SecretBox secrets, WebhookProcessor processor, ObjectMapper json, MeterRegistry meters) {
        this.pool = pool;
        this.secrets = secrets;
        this.processor = processor;
        this.json = json;
        this.meters = meters;
    }

    void install(@Observes Router router) {
        router.route(PATH).order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(this::handle);
    }

    void handle(RoutingContext context) {
        HttpMethod method = context.request().method();
        UUID channelId = channelId(context.pathParam("channelId"));
        if (method.equals(HttpMethod.GET)) {
            verify(context, channelId);
        } else if (method.equals(HttpMethod.POST)) {
            receive(context, channelId);
        } else {
            context.next(); // Quarkus answers 405 as problem+json
        }
    }

    /** Meta's subscription check: echo hub.challenge when hub.verify_token is this channel's (constant-time); else 403. */
    private void verify(RoutingContext context, UUID channelId) {
        String mode = context.request().getParam("hub.mode");
        String token = context.request().getParam("hub.verify_token");
        String challenge = context.request().getParam("hub.challenge");
        if (channelId == null || !"subscribe".equals(mode) || token == null || challenge == null || challenge.length() > 1000) {
            problem(context, 403, "forbidden", "Not a valid subscription request for this channel.");
            return;
        }
        channel(channelId).subscribe().with(row -> {
            if (row == null || !MessageDigest.isEqual(row.getString("verify_token").getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8))) {
                problem(context, 403, "forbidden", "Not a valid subscription request for this channel.");
                return;
            }
            context.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(challenge);
        }, failure -> unavailable(context, failure));
    }

    private void receive(RoutingContext context, UUID channelId) {
        HttpServerRequest request = context.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLarge(length)) {
            tooLarge(context);
            return;
        }
        String signature = request.getHeader(WebhookSignature.HEADER);
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (context.response().ended()) {
                return;
            }
            if (body.length() + (long) chunk.length() > MAX_BODY) {
                tooLarge(context);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(ignored -> {
            if (!context.response().ended()) {
                verifyAndStore(context, channelId, signature, body.getBytes());
            }
        });
        request.resume();
    }

    private void verifyAndStore(RoutingContext context, UUID channelId, String signature, byte[] body) {
        if (channelId == null) {
            refuseSignature(context, channelId);
            return;
        }
        channel(channelId).subscribe().with(row -> {
            if (row == null || !row.getBoolean("active")) {
                problem(context, 404, "channel-not-found", "No active WhatsApp channel at this webhook path.");
                count("channel-not-found");
                return;
            }
            String appSecret = secrets.open(row.getBuffer("app_secret").getBytes(), Channel.secretContext(channelId, "appSecret"));
            if (!WebhookSignature.valid(body, signature, appSecret)) {
                refuseSignature(context, channelId);
                return;
            }
            pool.preparedQuery(STORE).execute(Tuple.of(channelId, Buffer.buffer(body))).subscribe().with(stored -> {
                context.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end("ok");
                count("stored");
                processor.wake();
            }, failure -> unavailable(context, failure));
        }, failure -> unavailable(context, failure));
    }

    private io.smallrye.mutiny.Uni<Row> channel(UUID channelId) {
        return pool.preparedQuery(CHANNEL).execute(Tuple.of(channelId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
    }

    private void refuseSignature(RoutingContext context, UUID channelId) {
        LOG.warnf("WhatsApp webhook for channel %s refused: missing or invalid X-Hub-Signature-256 (from %s)", channelId,
                context.request().remoteAddress());
        count("invalid-signature");
        problem(context, 401, "invalid-signature", "X-Hub-Signature-256 is missing or is not the HMAC-SHA256 of the body with the app secret.");
    }

    /** Meta retries anything but a 200 for days: a 503 while the database is away is the right answer. */
    private void unavailable(RoutingContext context, Throwable failure) {
        LOG.debugf("WhatsApp webhook not stored: %s", failure.getMessage());
        count("unavailable");
        problem(context, 503, "service-unavailable", "The webhook could not be stored now; it will be retried.");
    }

    private void tooLarge(RoutingContext context) {
        count("payload-too-large");
        context.response().putHeader(HttpHeaders.CONNECTION, "close");
        problem(context, 413, "payload-too-large", "Webhook bodies are limited to 3 MB.");
    }

    private void problem(RoutingContext context, int status, String code, String detail) {
        if (context.response().ended()) {
            return;
        }
        try {
            context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(json.writeValueAsBytes(Problem.of(status, code, detail))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void count(String outcome) {
        meters.counter("baton.whatsapp.webhooks", "outcome", outcome).increment();
    }

    private static boolean tooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > MAX_BODY;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static UUID channelId(String value) {
        try {
            return value != null && value.length() == 36 ? UUID.fromString(value) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
