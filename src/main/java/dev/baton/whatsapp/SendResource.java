package dev.baton.whatsapp;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.auth.CurrentCaller;
import dev.baton.channel.ChannelService;
import dev.baton.chat.Chat;
import dev.baton.common.Params;
import dev.baton.problem.ApiException;
import dev.baton.realtime.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The channel's sends as an owner sees them (OWNER): the dead-letter view of replies Meta refused
 * for good or that ran out of attempts, and their replay. A replay is a new first attempt of the
 * same entry: same callback data, so a status that still arrives for an earlier attempt settles it.
 */
@Path("/api/v1/channels/{id}/sends")
@Produces(MediaType.APPLICATION_JSON)
public class SendResource {

    /** One send job; {@code lastError} is Meta's error as stored ({@code code}, {@code title}, {@code detail}). */
    public record SendView(UUID chatId, long seq, String status, int attempts, Map<String, Object> lastError, String wamid,
            OffsetDateTime createdAt, OffsetDateTime nextAttemptAt, OffsetDateTime sentAt) {
    }

    /** The statuses a send job can have, for the {@code status} filter. */
    enum Status {
        PENDING, SENDING, SENT, FAILED
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ChannelService channels;
    private final CurrentCaller caller;
    private final Deliveries deliveries;
    private final Outbox outbox;
    private final Sender sender;
    private final ObjectMapper json;

    public SendResource(ChannelService channels, CurrentCaller caller, Deliveries deliveries, Outbox outbox, Sender sender,
            ObjectMapper json) {
        this.channels = channels;
        this.caller = caller;
        this.deliveries = deliveries;
        this.outbox = outbox;
        this.sender = sender;
        this.json = json;
    }

    /** Newest first; {@code status=FAILED} is the dead-letter list. */
    @GET
    public Uni<List<SendView>> list(@PathParam("id") String id, @QueryParam("status") String status, @QueryParam("limit") String limit) {
        UUID channelId = Params.channelId(id);
        Status wanted = status == null ? null : Params.enumName("status", status, Status.class);
        int max = Params.limit(limit, 50);
        return Panache.withSession(() -> channels.owned(caller.get(), channelId)
                .chain(channel -> (wanted == null
                        ? ChannelSend.<ChannelSend>find("channelId = ?1 order by createdAt desc, seq desc", channel.id)
                        : ChannelSend.<ChannelSend>find("channelId = ?1 and status = ?2 order by createdAt desc, seq desc", channel.id,
                                wanted.name()))
                        .range(0, max - 1).list())
                .map(sends -> sends.stream().map(this::view).toList()));
    }

    /** FAILED → PENDING, due now, attempts from zero; anything else → 409 {@code send-not-failed}. */
    @POST
    @Path("/{chatId}/{seq}/replay")
    public Uni<SendView> replay(@PathParam("id") String id, @PathParam("chatId") String chatId, @PathParam("seq") String seq) {
        UUID channelId = Params.channelId(id);
        UUID chat = Params.chatId(chatId);
        long entry = Params.nonNegative("seq", seq);
        return outbox.transaction(() -> channels.owned(caller.get(), channelId)
                // The chat's lock first, like every write of the chat (the sender records answers under it).
                .chain(channel -> Chat.<Chat>findById(chat, LockModeType.PESSIMISTIC_WRITE)
                        .chain(locked -> ChannelSend.<ChannelSend>findById(new ChannelSend.Key(chat, entry)).chain(send -> {
                            if (locked == null || send == null || !send.channelId.equals(channel.id)) {
                                throw ApiException.notFound("send-not-found", "This channel has no send for that entry.");
                            }
                            if (!ChannelSend.FAILED.equals(send.status)) {
                                throw ApiException.conflict("send-not-failed", "Only a FAILED send can be replayed; this one is " + send.status + ".");
                            }
                            send.status = ChannelSend.PENDING;
                            send.attempts = 0;
                            send.nextAttemptAt = OffsetDateTime.now(ZoneOffset.UTC);
                            send.leaseUntil = null;
                            return deliveries.resend(locked, entry).replaceWith(send);
                        }))))
                .invoke(sender::wake)
                .map(this::view);
    }

    private SendView view(ChannelSend send) {
        return new SendView(send.chatId, send.seq, send.status, send.attempts, error(send.lastError), send.wamid, send.createdAt,
                ChannelSend.PENDING.equals(send.status) ? send.nextAttemptAt : null, send.sentAt);
    }

    private Map<String, Object> error(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return json.readValue(stored, MAP);
        } catch (JsonProcessingException e) {
            return Map.of("detail", stored);
        }
    }
}
