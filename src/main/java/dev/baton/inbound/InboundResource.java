package dev.baton.inbound;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestResponse;

import dev.baton.auth.Public;
import dev.baton.common.RequestChecks;
import dev.baton.timeline.TimelineRequests;
import io.smallrye.mutiny.Uni;
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

    static final String PHONE = "^\\+[1-9][0-9]{6,14}$";
    static final String PHONE_MESSAGE = "must be an E.164 number such as +14155550123";
    static final int NAME_MAX = 200;
    static final String EXTERNAL_ID = "^[\\x21-\\x7E]{1,200}$";
    static final String EXTERNAL_ID_MESSAGE = "must be 1 to 200 visible ASCII characters";

    public record Customer(@Schema(required = true, pattern = PHONE) String phone, @Schema(maxLength = NAME_MAX) String name) {

        public Customer {
            new RequestChecks()
                    .text("phone", phone).required().matches(PHONE, PHONE_MESSAGE)
                    .text("name", name).plainText(NAME_MAX)
                    .orThrow();
        }
    }

    public record InboundMessage(
            @Schema(required = true, pattern = EXTERNAL_ID) String externalId,
            @Schema(required = true) Customer customer,
            @Schema(required = true, maxLength = TimelineRequests.MAX_TEXT) String text,
            Boolean handoff) {

        public InboundMessage {
            new RequestChecks()
                    .text("externalId", externalId).required().matches(EXTERNAL_ID, EXTERNAL_ID_MESSAGE)
                    .field("customer", customer).required()
                    .text("text", text).required().multilinePlainText(TimelineRequests.MAX_TEXT)
                    .orThrow();
        }
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
            InboundMessage message) {
        RequestChecks.requireBody("message", message);
        return inbound.receive(authorization, message).map(result -> RestResponse.ResponseBuilder
                .create(RestResponse.Status.CREATED, result.accepted())
                .header("Idempotent-Replayed", Boolean.toString(!result.created())).build());
    }
}
