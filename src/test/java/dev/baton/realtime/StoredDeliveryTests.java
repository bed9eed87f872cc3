package dev.baton.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** An event row's deliveries: one line each, frames verbatim; rows of the earlier JSON format still read. */
class StoredDeliveryTests {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldReadBackWhatItWroteFramesVerbatim() throws Exception {
        UUID agent = UUID.randomUUID();
        // Text with tabs, line feeds and non-ASCII: compact JSON escapes the control characters.
        String frame = json.writeValueAsString(Map.of("type", "message.created", "text", "a\tb\nc \u00e9 \u2028 \\t"));
        List<StoredDelivery> written = List.of(new StoredDelivery(Audience.MONITORS, null, frame),
                new StoredDelivery(Audience.AGENT, agent, frame), new StoredDelivery(Audience.CONTROL, agent, null));

        String stored = StoredDelivery.encode(written);

        assertEquals(3, stored.lines().count(), stored);
        assertEquals(written, StoredDelivery.decode(json, stored));
        assertEquals("a\tb\nc \u00e9 \u2028 \\t", json.readTree(StoredDelivery.decode(json, stored).get(1).frame()).get("text").asText());
    }

    @Test
    void shouldReadRowsOfTheEarlierJsonFormat() {
        UUID agent = UUID.randomUUID();
        String legacy = "[{\"audience\":\"AGENT\",\"agentId\":\"" + agent + "\",\"frame\":\"{\\\"type\\\":\\\"chat.revoked\\\"}\"},"
                + "{\"audience\":\"CONTROL\",\"agentId\":\"" + agent + "\",\"frame\":null}]";

        assertEquals(List.of(new StoredDelivery(Audience.AGENT, agent, "{\"type\":\"chat.revoked\"}"),
                new StoredDelivery(Audience.CONTROL, agent, null)), StoredDelivery.decode(json, legacy));
    }

    @Test
    void shouldRefuseWhatItCannotRead() {
        assertThrows(IllegalArgumentException.class, () -> StoredDelivery.decode(json, "MONITORS no tabs"));
        assertThrows(IllegalArgumentException.class, () -> StoredDelivery.decode(json, "NOBODY\t\t{}"));
        assertThrows(IllegalArgumentException.class, () -> StoredDelivery.decode(json, "[{\"audience\":"));
        assertThrows(IllegalArgumentException.class,
                () -> StoredDelivery.encode(List.of(new StoredDelivery(Audience.STAFF, null, "{\n\"type\": \"pretty\"\n}"))));
    }
}
