package dev.baton.whatsapp;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.baton.channel.Channel;
import dev.baton.channel.SecretBox;
import dev.baton.chat.Chat;
import dev.baton.common.Background;
import dev.baton.realtime.Outbox;
import dev.baton.timeline.DeliveryStatus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;

/**
 * Sends queued replies to the Graph API, on every replica at once without double work.
 *
 * <p>A claim is one short transaction: due jobs are picked with {@code FOR UPDATE SKIP LOCKED}
 * (so concurrent claimers on any replica take disjoint jobs), marked SENDING under a lease, and
 * each phone number's next free send slots are reserved on its channel row ({@code pace_at}), so
 * the per-number rate holds across replicas. Calls happen after commit, at their slots, off any
 * transaction. Each answer is recorded in its own transaction: SENT with the wamid, a transient
 * failure back to PENDING after a backoff with jitter, a permanent one FAILED with Meta's code.
 * A job whose instance died mid-call is taken again when its lease ends, unless a status webhook
 * carrying its {@code biz_opaque_callback_data} has reconciled it first.
 */
@ApplicationScoped
public class Sender {

    private static final Logger LOG = Logger.getLogger(Sender.class);
    static final int BATCH = 100;
    /** Claims reserve slots at most this far ahead per phone number: a claimed job is sent well inside its lease. */
    private static final double HORIZON_SECONDS = 1.0;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    /**
     * A send whose instance died mid-call may have reached Meta: like a call without an answer, it
     * waits {@code reconcile-wait} for Meta's status webhook (which carries our callback data and
     * settles the job) before it is sent again. Released at once, a kill -9 sent it twice.
     */
    private static final String RELEASE_EXPIRED = "update channel_send set status = 'PENDING', lease_until = null, "
            + "next_attempt_at = now() + make_interval(secs => $1) where status = 'SENDING' and lease_until < now()";
    private static final String CLAIM = "with due as (select s.chat_id, s.seq from channel_send s join channel ch on ch.id = s.channel_id "
            + "where s.status = 'PENDING' and s.next_attempt_at <= now() and ch.active and ch.pace_at < now() + make_interval(secs => $3) "
            + "order by s.next_attempt_at, s.created_at limit $1 for update of s skip locked) "
            + "update channel_send s set status = 'SENDING', attempts = s.attempts + 1, lease_until = now() + make_interval(secs => $2) "
            + "from due, timeline_entry e, chat c, channel ch "
            + "where s.chat_id = due.chat_id and s.seq = due.seq and e.chat_id = s.chat_id and e.seq = s.seq and c.id = s.chat_id "
            + "and ch.id = s.channel_id "
            + "returning s.chat_id, s.seq, s.attempts, s.channel_id, s.created_at, e.text, e.content, c.customer_phone, c.customer_key, "
            + "ch.phone_number_id, ch.graph_api_version, ch.access_token";
    private static final String PACE = "update channel set pace_at = greatest(pace_at, now()) + make_interval(secs => $2) where id = $1 "
            + "returning (extract(epoch from (pace_at - now())) * 1000)::float8";

    /** A claimed send: everything the call needs. */
    record Job(UUID chatId, long seq, int attempts, UUID channelId, OffsetDateTime createdAt, String text, String content, String to,
            String phoneNumberId, String version, byte[] accessToken) {
    }

    /** What the Graph API said: a wamid, or a failure (httpStatus -1 = no answer). */
    record Answer(String wamid, int httpStatus, Integer code, String title, String detail, long retryAfterSeconds) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final SecretBox secrets;
    private final Deliveries deliveries;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final String graphUrl;
    private final String defaultVersion;
    private final double rate;
    private final Duration timeout;
    private final Duration retryBase;
    private final int maxAttempts;
    private final Duration lease;
    private final Duration reconcileWait;
    private final AtomicBoolean claiming = new AtomicBoolean();
    private volatile boolean again;
    private volatile boolean stopped;
    private HttpClient http;

    public Sender(Pool pool, Vertx vertx, SecretBox secrets, Deliveries deliveries, Outbox outbox, ObjectMapper json,
            @ConfigProperty(name = "baton.whatsapp.graph-url") String graphUrl,
            @ConfigProperty(name = "baton.whatsapp.graph-api-version") String defaultVersion,
            @ConfigProperty(name = "baton.whatsapp.messages-per-second") double rate,
            @ConfigProperty(name = "baton.whatsapp.send-timeout") Duration timeout,
            @ConfigProperty(name = "baton.whatsapp.retry-base") Duration retryBase,
            @ConfigProperty(name = "baton.whatsapp.max-attempts") int maxAttempts,
            @ConfigProperty(name = "baton.whatsapp.send-lease") Duration lease,
            @ConfigProperty(name = "baton.whatsapp.reconcile-wait") Duration reconcileWait) {
        this.pool = pool;
        this.vertx = vertx;
        this.secrets = secrets;
        this.deliveries = deliveries;
        this.outbox = outbox;
        this.json = json;
        this.graphUrl = graphUrl.endsWith("/") ? graphUrl.substring(0, graphUrl.length() - 1) : graphUrl;
        this.defaultVersion = defaultVersion;
        this.rate = rate;
        this.timeout = timeout;
        this.retryBase = retryBase;
        this.maxAttempts = maxAttempts;
        this.lease = lease;
        this.reconcileWait = reconcileWait;
    }

    void start(@Observes StartupEvent event) {
        http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeout.toMillis()).setMaxPoolSize(50)
                .setKeepAlive(true));
        vertx.setPeriodic(1000, id -> wake());
        wake();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /** Claims and schedules due sends soon; calls while a claim runs coalesce into one more claim. */
    public void wake() {
        if (stopped) {
            return;
        }
        if (!claiming.compareAndSet(false, true)) {
            again = true;
            return;
        }
        again = false;
        sendDue().subscribe().with(claimed -> {
            claiming.set(false);
            if (again || claimed == BATCH) {
                wake();
            }
        }, failure -> {
            claiming.set(false);
            LOG.debugf("claiming sends failed (retrying on the next wake-up): %s", failure.getMessage());
        });
    }

    /** One claim: safe to run concurrently on any number of instances. Returns how many sends it scheduled. */
    public Uni<Integer> sendDue() {
        double leaseSeconds = lease.toMillis() / 1000.0 + HORIZON_SECONDS + BATCH / rate;
        Map<Job, Long> slots = new LinkedHashMap<>();
        return pool.withTransaction(conn -> conn.preparedQuery(RELEASE_EXPIRED).execute(Tuple.of(reconcileWait.toMillis() / 1000.0))
                .chain(() -> conn.preparedQuery(CLAIM).execute(Tuple.of(BATCH, leaseSeconds, HORIZON_SECONDS)))
                .chain(rows -> {
                    List<Job> jobs = new ArrayList<>();
                    for (Row row : rows) {
                        jobs.add(job(row));
                    }
                    jobs.sort(Comparator.comparing(Job::createdAt).thenComparing(Job::seq));
                    return pace(conn, jobs, slots);
                }))
                // Scheduled only once the claim has committed: a send never runs ahead of its SENDING row.
                .invoke(() -> slots.forEach((job, delay) -> vertx.setTimer(delay, id -> send(job))))
                .replaceWith(slots::size);
    }

    /** Reserves each number's next slots on its channel row, and gives each job its own delay. */
    private Uni<Void> pace(SqlConnection conn, List<Job> jobs, Map<Job, Long> slots) {
        Map<UUID, List<Job>> byChannel = new LinkedHashMap<>();
        jobs.forEach(job -> byChannel.computeIfAbsent(job.channelId(), k -> new ArrayList<>()).add(job));
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Map.Entry<UUID, List<Job>> channel : byChannel.entrySet()) {
            List<Job> queue = channel.getValue();
            all = all.chain(() -> conn.preparedQuery(PACE).execute(Tuple.of(channel.getKey(), queue.size() / rate)).invoke(rows -> {
                double endMillis = rows.iterator().next().getDouble(0);
                double startMillis = endMillis - queue.size() * 1000.0 / rate;
                for (int i = 0; i < queue.size(); i++) {
                    slots.put(queue.get(i), Math.max(1, Math.round(startMillis + i * 1000.0 / rate)));
                }
            }).replaceWithVoid());
        }
        return all;
    }

    private Job job(Row row) {
        UUID chatId = row.getUUID("chat_id");
        String phone = row.getString("customer_phone");
        return new Job(chatId, row.getLong("seq"), row.getInteger("attempts"), row.getUUID("channel_id"),
                row.getOffsetDateTime("created_at"), row.getString("text"), row.getString("content"),
                phone != null ? phone : row.getString("customer_key"), row.getString("phone_number_id"),
                row.getString("graph_api_version"), row.getBuffer("access_token").getBytes());
    }

    private void send(Job job) {
        String url = graphUrl + "/" + (job.version() == null ? defaultVersion : job.version()) + "/" + job.phoneNumberId() + "/messages";
        Buffer body;
        String token;
        try {
            body = Buffer.buffer(json.writeValueAsBytes(request(job)));
            token = secrets.open(job.accessToken(), Channel.secretContext(job.channelId(), "accessToken"));
        } catch (JsonProcessingException | RuntimeException e) {
            record(job, new Answer(null, 0, null, "Not sendable", e.getMessage(), 0));
            return;
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json")
                .setIdleTimeout(timeout.toMillis());
        Uni.createFrom().completionStage(() -> http.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(answer -> answer(response.statusCode(), answer,
                        response.getHeader("Retry-After"))))
                .toCompletionStage())
                .ifNoItem().after(timeout).fail()
                .onFailure().recoverWithItem(failure -> new Answer(null, -1, null, "Graph API unreachable",
                        failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage()), 0))
                .subscribe().with(answer -> record(job, answer));
    }

    private ObjectNode request(Job job) throws JsonProcessingException {
        ObjectNode request = json.createObjectNode();
        request.put("messaging_product", "whatsapp");
        request.put("recipient_type", "individual");
        request.put("to", job.to());
        JsonNode template = job.content() == null ? null : json.readTree(job.content()).get("template");
        if (template == null) {
            request.put("type", "text");
            request.putObject("text").put("body", job.text());
        } else {
            request.put("type", "template");
            ObjectNode t = request.putObject("template");
            t.set("name", template.get("name"));
            t.putObject("language").put("policy", "deterministic").set("code", template.get("language"));
            if (template.hasNonNull("components")) {
                t.set("components", template.get("components"));
            }
        }
        request.put("biz_opaque_callback_data", ChannelSend.callbackData(job.chatId(), job.seq()));
        return request;
    }

    private Answer answer(int status, Buffer body, String retryAfter) {
        JsonNode tree;
        try {
            tree = json.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            tree = json.createObjectNode();
        }
        String wamid = tree.path("messages").path(0).path("id").asText(null);
        if (status / 100 == 2 && wamid != null) {
            return new Answer(wamid, status, null, null, null, 0);
        }
        JsonNode error = tree.path("error");
        Integer code = error.path("code").isNumber() ? error.path("code").asInt() : null;
        String title = error.path("error_user_title").asText(error.path("message").asText("HTTP " + status));
        String detail = error.path("error_data").path("details").asText(error.path("error_user_msg").asText(null));
        long after = 0;
        try {
            after = retryAfter == null ? 0 : Math.min(3600, Long.parseLong(retryAfter.trim()));
        } catch (NumberFormatException ignored) {
            // an HTTP date or garbage: the backoff alone decides
        }
        return new Answer(null, status, code, title, detail, after);
    }

    /** Records the answer (under the chat's lock, like every write of the chat) unless the job moved on meanwhile. */
    private void record(Job job, Answer answer) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        boolean retry = answer.wamid() == null && answer.httpStatus() != 0
                && GraphErrors.transientFailure(answer.httpStatus(), answer.code()) && job.attempts() < maxAttempts;
        Duration backoff = retry ? backoff(job.attempts(), answer.retryAfterSeconds()) : Duration.ZERO;
        if (retry && answer.httpStatus() < 0 && backoff.compareTo(reconcileWait) < 0) {
            // No answer: Meta may have accepted it. Its status webhook (carrying our callback data)
            // usually arrives within seconds and settles the job; only silence leads to a new attempt.
            backoff = reconcileWait;
        }
        Duration wait = backoff;
        Background.run(vertx, () -> outbox.transaction(() -> Chat.<Chat>findById(job.chatId(), LockModeType.PESSIMISTIC_WRITE)
                .chain(() -> ChannelSend.<ChannelSend>findById(new ChannelSend.Key(job.chatId(), job.seq())))
                .chain(send -> {
                    if (send == null || !ChannelSend.SENDING.equals(send.status) || send.attempts != job.attempts()) {
                        return Uni.createFrom().item(false); // reconciled by a status webhook, or taken again after its lease
                    }
                    send.leaseUntil = null;
                    if (answer.wamid() != null) {
                        send.status = ChannelSend.SENT;
                        send.wamid = answer.wamid();
                        send.sentAt = now;
                        return deliveries.advance(job.chatId(), job.seq(), DeliveryStatus.SENT, null);
                    }
                    Map<String, Object> error = InboundMapping.error(answer.code(), answer.title(), answer.detail());
                    send.lastError = deliveries.write(error);
                    if (retry) {
                        send.status = ChannelSend.PENDING;
                        send.nextAttemptAt = now.plus(wait);
                        return Uni.createFrom().item(false);
                    }
                    send.status = ChannelSend.FAILED;
                    return deliveries.advance(job.chatId(), job.seq(), DeliveryStatus.FAILED, error);
                })))
                .subscribe().with(changed -> {
                    if (retry) {
                        vertx.setTimer(Math.max(1, wait.toMillis()), id -> wake());
                    }
                }, failure -> LOG.warnf("recording the answer for %s:%d failed; it is sent again after its lease: %s",
                        job.chatId(), job.seq(), failure.getMessage()));
    }

    /** Exponential from the base, capped, with "equal jitter" (half fixed, half random) so retries of a burst spread out. */
    private Duration backoff(int attempts, long retryAfterSeconds) {
        long exponential = retryBase.toMillis() << Math.min(20, Math.max(0, attempts - 1));
        long capped = Math.min(MAX_BACKOFF.toMillis(), exponential);
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(Math.max(jittered, retryAfterSeconds * 1000));
    }
}
