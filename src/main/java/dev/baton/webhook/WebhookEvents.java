package dev.baton.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.baton.realtime.StoredDelivery;

/**
 * What the business's systems are told of one committed write (one row of the event log): its
 * socket frames, read back and turned into webhook events. Pure — no database, no framework.
 *
 * <p>Every write of a chat sends its timeline entry to the chat's monitors, so the log already
 * holds everything: a CUSTODY entry becomes {@code chat.custody_changed} (with the chat from the
 * supervisors' {@code chat.updated} and the reason from {@code chat.revoked}), and also
 * {@code chat.resolved} when it resolved the chat; a NOTE becomes {@code note.created}; a message
 * {@code message.created}. One frame goes to several audiences, so each type is taken once per
 * write: one event, one webhook (Chatwoot #11901 sent {@code message_created} twice).
 *
 * <p>The body is the socket envelope plus {@code id}; the id is {@code msg_<event row>_<n>}, so the
 * same write always yields the same ids (and {@code webhook_delivery} refuses a second delivery of
 * one id to one endpoint).
 */
final class WebhookEvents {

    static final String CUSTODY_CHANGED = "chat.custody_changed";
    static final String RESOLVED = "chat.resolved";
    static final String MESSAGE_CREATED = "message.created";
    static final String NOTE_CREATED = "note.created";

    /** Socket events that reach webhooks as they are. */
    static final Set<String> PASSED_THROUGH = Set.of("chat.queued", "message.status", "offer.created", "offer.accepted", "offer.declined",
            "offer.expired", "offer.cancelled");

    /** Every type an endpoint may subscribe to. */
    static final Set<String> TYPES;

    static {
        Set<String> types = new LinkedHashSet<>(List.of(CUSTODY_CHANGED, RESOLVED, MESSAGE_CREATED, NOTE_CREATED));
        types.addAll(PASSED_THROUGH);
        TYPES = Set.copyOf(types);
    }

    /** One webhook message: its id (webhook-id), type and the exact body that is signed and sent. */
    record Message(String id, String type, String body) {
    }

    private WebhookEvents() {
    }

    static List<Message> of(ObjectMapper json, long eventId, String storedDeliveries) {
        Map<String, JsonNode> frames = new LinkedHashMap<>();
        try {
            for (StoredDelivery delivery : StoredDelivery.decode(json, storedDeliveries)) {
                if (delivery.frame() != null) {
                    JsonNode envelope = json.readTree(delivery.frame());
                    frames.putIfAbsent(envelope.path("type").asText(), envelope);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a stored event is unreadable", e);
        }
        List<Message> messages = new ArrayList<>(2);
        JsonNode created = frames.get(MESSAGE_CREATED);
        if (created != null) {
            String kind = created.path("data").path("kind").asText();
            if (kind.equals("CUSTODY")) {
                ObjectNode change = custodyChange(json, created, frames);
                messages.add(message(json, eventId, messages.size(), CUSTODY_CHANGED, created, change));
                if ("RESOLVE".equals(change.path("action").asText())) {
                    ObjectNode resolved = json.createObjectNode();
                    resolved.set("chat", change.get("chat"));
                    messages.add(message(json, eventId, messages.size(), RESOLVED, created, resolved));
                }
            } else {
                String type = kind.equals("NOTE") ? NOTE_CREATED : MESSAGE_CREATED;
                messages.add(message(json, eventId, messages.size(), type, created, created.get("data")));
            }
        }
        for (Map.Entry<String, JsonNode> frame : frames.entrySet()) {
            if (PASSED_THROUGH.contains(frame.getKey())) {
                messages.add(message(json, eventId, messages.size(), frame.getKey(), frame.getValue(), frame.getValue().get("data")));
            }
        }
        return messages;
    }

    /** {chat, action, from, to, actor, note, reason} of a CUSTODY entry. */
    private static ObjectNode custodyChange(ObjectMapper json, JsonNode created, Map<String, JsonNode> frames) {
        JsonNode entry = created.path("data");
        JsonNode custody = entry.path("custody");
        ObjectNode change = json.createObjectNode();
        JsonNode updated = frames.get("chat.updated");
        change.set("chat", updated == null ? NullNode.getInstance() : updated.path("data").path("chat"));
        change.set("action", custody.path("action"));
        change.set("from", orNull(custody.get("from")));
        change.set("to", orNull(custody.get("to")));
        change.set("actor", orNull(entry.get("author")));
        change.set("note", orNull(entry.get("text")));
        JsonNode revoked = frames.get("chat.revoked");
        change.set("reason", revoked == null ? NullNode.getInstance() : revoked.path("data").path("reason"));
        return change;
    }

    private static Message message(ObjectMapper json, long eventId, int n, String type, JsonNode envelope, JsonNode data) {
        String id = "msg_" + eventId + "_" + n;
        ObjectNode body = json.createObjectNode();
        body.put("id", id);
        body.put("type", type);
        for (String field : List.of("workspaceId", "chatId", "seq", "at", "performer")) {
            body.set(field, orNull(envelope.get(field)));
        }
        body.set("data", orNull(data));
        try {
            return new Message(id, type, json.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? NullNode.getInstance() : node;
    }
}
