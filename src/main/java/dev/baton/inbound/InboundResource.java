package dev.baton.inbound;

import java.util.UUID;

import org.jboss.resteasy.reactive.RestResponse;

import dev.baton.auth.Public;
import dev.baton.common.PlainText;
import dev.baton.timeline.TimelineRequests;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** The channel (e.g. the WhatsApp webhook bridge) delivers customer messages here with a channel token. */
@Public
@Path("/api/v1/inbound")
@Produces(MediaType.APPLICATION_JSON)
public class InboundResource {

    public record Customer(@NotNull @Pattern(regexp = "^\\+[1-9][0-9]{6,14}$", message = "must be an E.164 number such as +14155550123") String phone,
            @PlainText(max = 200) String name) {
    }

    public record InboundMessage(
            @NotNull @Pattern(regexp = "^[\\x21-\\x7E]{1,200}$", message = "must be 1 to 200 visible ASCII characters") String externalId,
            @NotNull @Valid Customer customer,
            @NotNull @PlainText(max = TimelineRequests.MAX_TEXT, multiline = true) String text,
            Boolean handoff) {
    }

    public record Accepted(UUID chatId, long seq) {
    }

    private final InboundService inbound;

    public InboundResource(InboundService inbound) {
        this.inbound = inbound;
    }

    /** 201 with the chat and seq; a repeated externalId creates nothing and returns the first result (Idempotent-Replayed: true). */
    @POST
    @Path("/messages")
    public Uni<RestResponse<Accepted>> receive(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Valid @NotNull InboundMessage message) {
        return inbound.receive(authorization, message).map(result -> RestResponse.ResponseBuilder
                .create(RestResponse.Status.CREATED, result.accepted())
                .header("Idempotent-Replayed", Boolean.toString(!result.created())).build());
    }
}
