package dev.baton.whatsapp;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.baton.timeline.DeliveryStatus;

/**
 * Meta's webhook items mapped onto Baton's model, without side effects. Every message type becomes
 * an entry (unknown ones as {@code unsupported}); the type-specific JSON of locations, contacts and
 * reactions is kept verbatim.
 */
public final class InboundMapping {

    private static final int NAME_MAX = 200;

    private InboundMapping() {
    }

    /** One customer message: who, what, when, and what it answers. */
    public record Message(String wamid, String customerKey, String phone, String name, String text, Map<String, Object> parts,
            String replyTo, OffsetDateTime at) {
    }

    /** One status of a message Baton sent. */
    public record Status(String wamid, DeliveryStatus status, String callbackData, Map<String, Object> error) {
    }

    /** The message, or null when it carries no id or sender (nothing to key it on). */
    public static Message message(JsonNode m, JsonNode contacts) {
        String wamid = clean(m.path("id").asText(null));
        String from = m.path("from").asText(null);
        String userId = clean(m.path("from_user_id").asText(null));
        String phone = from != null && from.matches("[1-9][0-9]{6,14}") ? "+" + from : null;
        String key = userId != null ? userId : phone;
        if (wamid == null || key == null || wamid.length() > 200 || key.length() > 64) {
            return null;
        }
        String type = m.path("type").asText("unknown");
        Map<String, Object> parts = new LinkedHashMap<>();
        String text = null;
        switch (type) {
            case "text" -> text = m.path("text").path("body").asText(null);
            case "image", "audio", "video", "document", "sticker" -> {
                JsonNode media = m.path(type);
                Map<String, Object> ref = new LinkedHashMap<>();
                ref.put("type", type);
                ref.put("id", media.path("id").asText(null));
                ref.put("mimeType", media.path("mime_type").asText(null));
                if (media.hasNonNull("filename")) {
                    ref.put("filename", media.path("filename").asText());
                }
                parts.put("media", ref);
                text = media.path("caption").asText(null);
            }
            case "location", "contacts", "reaction" -> parts.put(type, m.path(type));
            case "interactive" -> {
                String kind = m.path("interactive").path("type").asText("");
                JsonNode chosen = m.path("interactive").path(kind);
                if ((kind.equals("button_reply") || kind.equals("list_reply")) && chosen.isObject()) {
                    parts.put("reply", reply(chosen.path("id").asText(null), chosen.path("title").asText(null)));
                    text = chosen.path("title").asText(null);
                } else {
                    parts.put("unsupported", "interactive." + kind);
                }
            }
            case "button" -> {
                JsonNode button = m.path("button");
                parts.put("reply", reply(button.path("payload").asText(null), button.path("text").asText(null)));
                text = button.path("text").asText(null);
            }
            default -> parts.put("unsupported", clean(type));
        }
        String replyTo = clean(m.path("context").path("id").asText(null));
        return new Message(wamid, key, phone, name(contacts, from, userId), clean(text), parts,
                replyTo != null && replyTo.length() <= 200 ? replyTo : null, time(m.path("timestamp").asText(null)));
    }

    public static Status status(JsonNode s) {
        String wamid = clean(s.path("id").asText(null));
        DeliveryStatus status = switch (s.path("status").asText("")) {
            case "sent" -> DeliveryStatus.SENT;
            case "delivered" -> DeliveryStatus.DELIVERED;
            case "read", "played" -> DeliveryStatus.READ;
            case "failed" -> DeliveryStatus.FAILED;
            default -> null;
        };
        if (wamid == null || status == null) {
            return null;
        }
        Map<String, Object> error = null;
        JsonNode first = s.path("errors").path(0);
        if (status == DeliveryStatus.FAILED) {
            error = error(first.path("code").isNumber() ? first.path("code").asInt() : null, first.path("title").asText(null),
                    first.path("error_data").path("details").asText(first.path("message").asText(null)));
        }
        return new Status(wamid, status, clean(s.path("biz_opaque_callback_data").asText(null)), error);
    }

    /** A failed delivery as entries and events show it: {code, title, detail}. */
    public static Map<String, Object> error(Integer code, String title, String detail) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("title", clean(title));
        error.put("detail", clean(detail));
        return error;
    }

    private static Map<String, Object> reply(String id, String title) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("id", clean(id));
        reply.put("title", clean(title));
        return reply;
    }

    /** The sender's profile name: the contact whose wa_id or user_id is the sender's, else the only one. */
    private static String name(JsonNode contacts, String from, String userId) {
        JsonNode match = null;
        for (JsonNode c : contacts) {
            if ((from != null && from.equals(c.path("wa_id").asText(null))) || (userId != null && userId.equals(c.path("user_id").asText(null)))) {
                match = c;
            }
        }
        if (match == null && contacts.size() == 1) {
            match = contacts.get(0);
        }
        String name = match == null ? null : clean(match.path("profile").path("name").asText(null));
        if (name == null || name.isBlank()) {
            return null;
        }
        name = name.replaceAll("\\p{Cntrl}", " ").strip();
        return name.length() > NAME_MAX ? name.substring(0, NAME_MAX) : name;
    }

    /** Meta's timestamp (Unix seconds, as a string); now when it is missing or malformed. */
    private static OffsetDateTime time(String seconds) {
        try {
            return OffsetDateTime.ofInstant(Instant.ofEpochSecond(Long.parseLong(seconds)), ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return OffsetDateTime.now(ZoneOffset.UTC);
        }
    }

    /** PostgreSQL text cannot hold NUL: it becomes U+FFFD, everything else is kept. */
    private static String clean(String value) {
        return value == null ? null : value.replace('\u0000', '\uFFFD');
    }
}
