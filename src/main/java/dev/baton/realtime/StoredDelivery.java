package dev.baton.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One delivery as an event row stores it: the frame is serialised once, at write time, and sent
 * verbatim.
 *
 * <p>An event row's {@code deliveries} holds one line per delivery: {@code AUDIENCE}, a tab, the
 * agent id or nothing, a tab, the frame or nothing ({@code CONTROL}). A frame is compact JSON, in
 * which tabs and line feeds only ever occur escaped, so lines and fields split without parsing the
 * JSON: writing does not escape each frame into an outer JSON array, and readers do not unescape
 * it (together 6 % of the event loops' samples in a transfer run). Rows written before this format
 * (a JSON array of {@code {audience, agentId, frame}}) are still read.
 */
public record StoredDelivery(Audience audience, UUID agentId, String frame) {

    private static final TypeReference<List<StoredDelivery>> LEGACY = new TypeReference<>() {
    };

    /** The stored form of one write's deliveries. */
    static String encode(List<StoredDelivery> deliveries) {
        StringBuilder out = new StringBuilder(deliveries.size() * 512);
        for (StoredDelivery d : deliveries) {
            if (d.frame() != null && (d.frame().indexOf('\n') >= 0 || d.frame().indexOf('\t') >= 0)) {
                throw new IllegalArgumentException("a frame must be compact JSON");
            }
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(d.audience().name()).append('\t').append(d.agentId() == null ? "" : d.agentId().toString()).append('\t')
                    .append(d.frame() == null ? "" : d.frame());
        }
        return out.toString();
    }

    /** The deliveries of a stored event row, in either format; {@link IllegalArgumentException} if unreadable. */
    public static List<StoredDelivery> decode(ObjectMapper json, String stored) {
        if (stored.startsWith("[")) {
            try {
                return json.readValue(stored, LEGACY);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("unreadable deliveries: " + e.getOriginalMessage(), e);
            }
        }
        List<StoredDelivery> deliveries = new ArrayList<>(4);
        int start = 0;
        while (start < stored.length()) {
            int end = stored.indexOf('\n', start);
            if (end < 0) {
                end = stored.length();
            }
            int tab1 = stored.indexOf('\t', start);
            int tab2 = tab1 < 0 ? -1 : stored.indexOf('\t', tab1 + 1);
            if (tab1 < 0 || tab2 < 0 || tab2 > end) {
                throw new IllegalArgumentException("unreadable delivery line at " + start);
            }
            Audience audience = Audience.valueOf(stored.substring(start, tab1));
            UUID agentId = tab2 == tab1 + 1 ? null : UUID.fromString(stored.substring(tab1 + 1, tab2));
            String frame = end == tab2 + 1 ? null : stored.substring(tab2 + 1, end);
            deliveries.add(new StoredDelivery(audience, agentId, frame));
            start = end + 1;
        }
        return deliveries;
    }
}
