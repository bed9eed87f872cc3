package dev.baton.realtime;

import java.util.UUID;

/** One delivery as an event row stores it: the frame is serialised once, at write time, and sent verbatim. */
record StoredDelivery(Audience audience, UUID agentId, String frame) {
}
