package dev.baton.problem;

/** A refusal the client can act on: an HTTP status, a stable machine-readable code and a detail. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Extra response headers (e.g. Retry-After). */
    public java.util.Map<String, String> headers() {
        return java.util.Map.of();
    }

    public static ApiException notFound(String code, String detail) {
        return new ApiException(404, code, detail);
    }

    public static ApiException chatNotFound() {
        return notFound("chat-not-found", "No such chat in this workspace.");
    }

    public static ApiException agentNotFound() {
        return notFound("agent-not-found", "No such active agent in this workspace.");
    }

    public static ApiException channelNotFound() {
        return notFound("channel-not-found", "No such channel in this workspace.");
    }

    public static ApiException teamNotFound() {
        return notFound("team-not-found", "No such team in this workspace.");
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", detail);
    }

    public static ApiException notChatHolder() {
        return new ApiException(403, "not-chat-holder", "Only the agent holding the chat may do this.");
    }

    public static ApiException conflict(String code, String detail) {
        return new ApiException(409, code, detail);
    }

    public static ApiException invalid(String detail) {
        return new ApiException(400, "validation-failed", detail);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "unauthorized", "Missing, invalid or expired credentials.");
    }
}
