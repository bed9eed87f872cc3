package dev.baton.common;

/**
 * A rule of the domain said no: a stable code (the {@code code} of PRODUCT.md) and a detail for
 * people. The domain never picks an HTTP status; {@code problem/} maps each code to one.
 */
public class Refusal extends RuntimeException {

    public enum Code {
        FORBIDDEN("forbidden"),
        NOT_CHAT_HOLDER("not-chat-holder"),
        INVALID_TRANSITION("invalid-transition"),
        SAME_HOLDER("same-holder"),
        AGENT_NOT_FOUND("agent-not-found"),
        AGENT_OFFLINE("agent-offline"),
        AGENT_AT_CAPACITY("agent-at-capacity"),
        OFFER_PENDING("offer-pending"),
        OFFER_NOT_PENDING("offer-not-pending"),
        OFFER_NOT_FOUND("offer-not-found"),
        WEBHOOK_NOT_FOUND("webhook-not-found");

        private final String id;

        Code(String id) {
            this.id = id;
        }

        /** The code as clients see it. */
        public String id() {
            return id;
        }
    }

    private final Code code;

    public Refusal(Code code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
