package dev.baton.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.baton.channel.SecretBox;
import dev.baton.realtime.RealtimeDatabase;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Sends due deliveries, on every replica at once without double work.
 *
 * <p>A claim is one statement (its own transaction): due rows are picked with {@code FOR UPDATE SKIP LOCKED}, so
 * concurrent claimers on any replica take disjoint rows, and marked SENDING with the attempt
 * counted and a lease ({@code due_at}) of twice the request timeout. The call happens after commit
 * and is cut off at the timeout, well inside the lease, so no attempt is ever in flight on two
 * replicas; a row whose replica died (kill -9) is due again when its lease ends, so none is lost.
 * Each answer is recorded only if the row is still this claim's (status SENDING, same attempt).
 *
 * <p>Isolation: at most {@code max-in-flight-per-endpoint} attempts per endpoint are claimed at once
 * (counted from the SENDING rows, so across replicas, give or take a concurrent claim), the client
 * is non-blocking and pools connections per destination: a receiver that hangs holds its own slots
 * for at most the timeout and nobody else's, and custody changes never wait for any of this.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    static final int BATCH = 100;
    /** Response bodies are read and discarded; past this the connection is reset. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    /**
     * Per active endpoint: its free slots ($2 minus its unexpired SENDING leases), then that many of its
     * due rows, oldest first, skipping rows another claimer holds; the oldest $1 of those are claimed.
     * Each endpoint costs a few index entries (webhook_delivery_endpoint_due_idx), whatever the size
     * of another endpoint's backlog.
     */
    static final String CLAIM = "with due as (select d.id from webhook_endpoint w "
            + "cross join lateral (select greatest(0, $2 - count(*)) as free from webhook_delivery s "
            + "where s.endpoint_id = w.id and s.status = 'SENDING' and s.due_at > now()) b "
            + "cross join lateral (select d.id, d.due_at from webhook_delivery d where d.endpoint_id = w.id "
            + "and d.status in ('PENDING', 'SENDING') and d.due_at <= now() order by d.due_at limit b.free for update of d skip locked) d "
            + "where w.active order by d.due_at limit $1) "
            + "update webhook_delivery d set status = 'SENDING', attempts = d.attempts + 1, last_attempt_at = now(), "
            + "due_at = now() + make_interval(secs => $3) from webhook_endpoint w where d.id = any(array(select id from due)) "
            + "and w.id = d.endpoint_id "
            + "returning d.id, d.endpoint_id, d.message_id, d.body, d.attempts, w.url, w.secret, "
            + "case when w.previous_secret_until > now() then w.previous_secret end as previous_secret";
    private static final String RECORD = "update webhook_delivery set status = $3::varchar, due_at = $4, response_status = $5, "
            + "last_error = $6, delivered_at = case when $3::varchar = 'DELIVERED' then now() end where id = $1 and status = 'SENDING' and attempts = $2";
    private static final String DISABLE = "update webhook_endpoint set active = false, disabled_reason = $2, updated_at = now() "
            + "where id = $1";

    /** A claimed attempt: everything the call needs. */
    record Job(UUID id, UUID endpointId, String messageId, String body, int attempt, String url, byte[] secret, byte[] previousSecret) {
    }

    /** How an attempt went: the HTTP status (null when there was none) or what went wrong, and any Retry-After. */
    record Outcome(Integer status, String error, Duration retryAfter) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final SecretBox secrets;
    private final Destinations destinations;
    private final RetrySchedule schedule;
    private final Duration timeout;
    private final int maxInFlight;
    private final AtomicBoolean claiming = new AtomicBoolean();
    private volatile boolean again;
    private volatile boolean stopped;
    private HttpClient http;

    public WebhookSender(RealtimeDatabase database, Vertx vertx, SecretBox secrets, Destinations destinations,
            @ConfigProperty(name = "baton.webhooks.retry-schedule") List<Duration> schedule,
            @ConfigProperty(name = "baton.webhooks.timeout") Duration timeout,
            @ConfigProperty(name = "baton.webhooks.max-in-flight-per-endpoint") int maxInFlight) {
        // Its own connections: claims and outcomes never wait behind the requests for a pooled one.
        this.pool = database.background();
        this.vertx = vertx;
        this.secrets = secrets;
        this.destinations = destinations;
        this.schedule = new RetrySchedule(List.copyOf(schedule));
        this.timeout = timeout;
        this.maxInFlight = maxInFlight;
    }

    void start(@Observes StartupEvent event) {
        // Pools are per destination (host, port, address): a slow receiver's connections are its own.
        http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(maxInFlight).setKeepAlive(true)
                .setConnectTimeout((int) timeout.toMillis()).setForceSni(true));
        vertx.setPeriodic(1000, id -> wake());
        wake();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /** Claims and sends due deliveries soon; calls while a claim runs coalesce into one more claim. */
    public void wake() {
        if (stopped) {
            return;
        }
        if (!claiming.compareAndSet(false, true)) {
            again = true;
            return;
        }
        again = false;
        claim().subscribe().with(claimed -> {
            claiming.set(false);
            if (again || claimed == BATCH) {
                wake();
            }
        }, failure -> {
            claiming.set(false);
            LOG.debugf("claiming webhook deliveries failed (retrying on the next wake-up): %s", failure.getMessage());
        });
    }

    private Uni<Integer> claim() {
        double leaseSeconds = 2 * timeout.toMillis() / 1000.0;
        // One statement, so its own transaction: no BEGIN/COMMIT round trips on the way to the receiver.
        return pool.preparedQuery(CLAIM).execute(Tuple.of(BATCH, maxInFlight, leaseSeconds))
                .map(rows -> {
                    List<Job> jobs = new ArrayList<>();
                    for (Row row : rows) {
                        jobs.add(new Job(row.getUUID("id"), row.getUUID("endpoint_id"), row.getString("message_id"), row.getString("body"),
                                row.getInteger("attempts"), row.getString("url"), bytes(row, "secret"), bytes(row, "previous_secret")));
                    }
                    // Sent only once the claim has committed: an attempt never runs ahead of its SENDING row.
                    jobs.forEach(this::send);
                    return jobs.size();
                });
    }

    private static byte[] bytes(Row row, String column) {
        io.vertx.mutiny.core.buffer.Buffer value = row.getBuffer(column);
        return value == null ? null : value.getBytes();
    }

    private void send(Job job) {
        URI url;
        List<String> keys = new ArrayList<>(2);
        try {
            url = URI.create(job.url());
            keys.add(secrets.open(job.secret(), WebhookEndpoint.secretContext(job.endpointId(), "secret")));
            if (job.previousSecret() != null) {
                keys.add(secrets.open(job.previousSecret(), WebhookEndpoint.secretContext(job.endpointId(), "previousSecret")));
            }
        } catch (RuntimeException e) {
            record(job, new Outcome(null, "not sendable: " + e.getMessage(), null));
            return;
        }
        destinations.resolve(url).subscribe().with(address -> call(job, url, address, keys),
                failure -> record(job, new Outcome(null, failure instanceof Destinations.Refused ? "destination refused: "
                        + failure.getMessage() : "destination check failed: " + failure.getMessage(), null)));
    }

    /** Connects to the checked address (never looks the name up again); Host and SNI still carry the name. */
    private void call(Job job, URI url, InetAddress address, List<String> keys) {
        boolean tls = url.getScheme().equalsIgnoreCase("https");
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        long timestamp = System.currentTimeMillis() / 1000;
        byte[] body = job.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost()).setPort(port).setSsl(tls)
                .setURI(path).setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress())).setFollowRedirects(false)
                .setIdleTimeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "Baton-Webhooks/1")
                .putHeader("webhook-id", job.messageId())
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", Signature.header(keys, job.messageId(), timestamp, body));
        Promise<Outcome> outcome = Promise.promise();
        HttpClientRequest[] inFlight = new HttpClientRequest[1];
        long deadline = vertx.setTimer(timeout.toMillis(), id -> {
            if (outcome.tryComplete(new Outcome(null, "no answer within " + timeout, null)) && inFlight[0] != null) {
                inFlight[0].reset();
            }
        });
        http.request(options).compose(request -> {
            inFlight[0] = request;
            return request.send(Buffer.buffer(body));
        }).onSuccess(response -> {
            int[] read = new int[1];
            response.handler(chunk -> {
                read[0] += chunk.length();
                if (read[0] > MAX_RESPONSE_BYTES) {
                    inFlight[0].reset();
                }
            });
            Outcome answer = new Outcome(response.statusCode(), response.statusCode() / 100 == 2 ? null
                    : "HTTP " + response.statusCode(), RetrySchedule.retryAfter(response.getHeader("Retry-After"),
                            OffsetDateTime.now(ZoneOffset.UTC)));
            response.end().onComplete(ended -> outcome.tryComplete(answer));
        }).onFailure(failure -> outcome.tryComplete(new Outcome(null, failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()), null)));
        outcome.future().onComplete(done -> {
            vertx.cancelTimer(deadline);
            record(job, done.result());
        });
    }

    /** Records the attempt unless the row moved on meanwhile (deleted, or replayed). */
    private void record(Job job, Outcome outcome) {
        boolean delivered = outcome.status() != null && outcome.status() / 100 == 2;
        boolean gone = outcome.status() != null && outcome.status() == 410;
        boolean throttled = outcome.status() != null && (outcome.status() == 429 || outcome.status() == 503);
        Duration wait = delivered || gone ? null
                : schedule.after(job.attempt(), throttled ? outcome.retryAfter() : null, ThreadLocalRandom.current()::nextDouble);
        String status = delivered ? WebhookDelivery.DELIVERED : wait == null ? WebhookDelivery.FAILED : WebhookDelivery.PENDING;
        OffsetDateTime due = wait == null ? null : OffsetDateTime.now(ZoneOffset.UTC).plus(wait);
        String error = outcome.error() == null ? null : outcome.error().length() > 500 ? outcome.error().substring(0, 500) : outcome.error();
        // Single statements (a 410 disables the endpoint in a second one; were that lost, the next 410 would).
        pool.preparedQuery(RECORD).execute(Tuple.from(new Object[] { job.id(), job.attempt(), status, due, outcome.status(), error }))
                .chain(updated -> gone && updated.rowCount() == 1
                        ? pool.preparedQuery(DISABLE).execute(Tuple.of(job.endpointId(), "the receiver answered 410 Gone"))
                                .replaceWithVoid()
                        : Uni.createFrom().voidItem())
                .subscribe().with(done -> {
                    wake(); // a slot of this endpoint is free
                    if (wait != null && wait.compareTo(Duration.ofMinutes(1)) < 0) {
                        vertx.setTimer(Math.max(1, wait.toMillis()), id -> wake());
                    }
                }, failure -> LOG.warnf("recording webhook delivery %s failed; it is tried again after its lease: %s", job.id(),
                        failure.getMessage()));
    }
}
