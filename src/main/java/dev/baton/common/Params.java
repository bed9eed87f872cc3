package dev.baton.common;

import java.util.UUID;
import java.util.function.Supplier;

import dev.baton.problem.ApiException;

/**
 * Query and header parameters are taken as strings and parsed here, so a bad value is a 400
 * validation-failed with a clear detail rather than JAX-RS's default 404.
 */
public final class Params {

    public static final int MAX_LIMIT = 200;

    private Params() {
    }

    public static int limit(String value, int fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        long parsed = number("limit", value);
        if (parsed < 1 || parsed > MAX_LIMIT) {
            throw ApiException.invalid("limit: must be between 1 and " + MAX_LIMIT);
        }
        return (int) parsed;
    }

    public static long nonNegative(String name, String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        long parsed = number(name, value);
        if (parsed < 0) {
            throw ApiException.invalid(name + ": must not be negative");
        }
        return parsed;
    }

    public static UUID uuid(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            if (value.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(name + ": must be a UUID");
        }
    }

    /** Whether {@code value} is a UUID in its canonical 36-character form. */
    public static boolean isUuid(String value) {
        try {
            return value.length() == 36 && UUID.fromString(value) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A chat id in the path; something that is not a UUID names no chat (404 chat-not-found, not JAX-RS's generic 404). */
    public static UUID chatId(String value) {
        return pathId(value, ApiException::chatNotFound);
    }

    /** An agent id in the path; something that is not a UUID names no agent. */
    public static UUID agentId(String value) {
        return pathId(value, ApiException::agentNotFound);
    }

    /** A channel id in the path; something that is not a UUID names no channel. */
    public static UUID channelId(String value) {
        return pathId(value, ApiException::channelNotFound);
    }

    /** A team id in the path; something that is not a UUID names no team. */
    public static UUID teamId(String value) {
        return pathId(value, ApiException::teamNotFound);
    }

    /** An offer id in the path; something that is not a UUID names no offer. */
    public static UUID offerId(String value) {
        return pathId(value, () -> new Refusal(Refusal.Code.OFFER_NOT_FOUND, "No such offer in this workspace."));
    }

    /** A webhook endpoint (or delivery) id in the path; something that is not a UUID names none. */
    public static UUID webhookId(String value) {
        return pathId(value, () -> new Refusal(Refusal.Code.WEBHOOK_NOT_FOUND, "No such webhook endpoint or delivery in this workspace."));
    }

    private static UUID pathId(String value, Supplier<? extends RuntimeException> notFound) {
        if (value == null || value.length() != 36) {
            throw notFound.get();
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw notFound.get();
        }
    }

    public static <E extends Enum<E>> E enumName(String name, String value, Class<E> type) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw ApiException.invalid(name + ": must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }

    /** {@code If-Match: "<version>"} (also W/"..." or bare digits); null when absent or {@code *} (any version, RFC 9110). */
    public static Long ifMatch(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return null;
        }
        String value = header.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return number("If-Match", value);
    }

    private static long number(String name, String value) {
        if (value.length() > 18 || !value.matches("-?[0-9]+")) {
            throw ApiException.invalid(name + ": must be a whole number");
        }
        return Long.parseLong(value);
    }
}
