package dev.baton.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which address the login throttle counts: forwarding headers only from trusted proxies, never the client's own claim. */
class ClientAddressTests {

    private final ClientAddress untrusting = new ClientAddress(Optional.empty());
    private final ClientAddress behindProxies = new ClientAddress(Optional.of(List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8")));

    @Test
    void shouldIgnoreForwardingHeadersWhenNoProxyIsTrusted() {
        assertEquals("127.0.0.1", untrusting.of("127.0.0.1", List.of("for=198.51.100.7"), List.of("203.0.113.9")));
    }

    @Test
    void shouldIgnoreForwardingHeadersFromAPeerThatIsNotATrustedProxy() {
        assertEquals("192.0.2.50", behindProxies.of("192.0.2.50", List.of(), List.of("203.0.113.9")));
    }

    @Test
    void shouldTakeTheRightMostHopThatIsNotATrustedProxy() {
        // The client wrote "198.51.100.1" itself; the proxies appended the real address and their own.
        assertEquals("203.0.113.9", behindProxies.of("127.0.0.1", List.of(), List.of("198.51.100.1, 203.0.113.9", "10.1.2.3")));
        assertEquals("203.0.113.9", behindProxies.of("127.0.0.1", List.of(), List.of("203.0.113.9:5123, 10.1.2.3")));
    }

    @Test
    void shouldReadTheStandardForwardedHeaderFirst() {
        assertEquals("2001:db8:cafe::17", behindProxies.of("127.0.0.1",
                List.of("for=198.51.100.1;proto=https, for=\"[2001:db8:cafe::17]:4711\"", "for=10.0.0.5;by=10.0.0.6"),
                List.of("192.0.2.1")));
    }

    @Test
    void shouldFallBackToThePeerOrTheFirstHopWhenEveryHopIsTrusted() {
        assertEquals("127.0.0.1", behindProxies.of("127.0.0.1", List.of(), List.of()));
        assertEquals("10.0.0.1", behindProxies.of("127.0.0.1", List.of(), List.of("10.0.0.1, 10.0.0.2")));
    }

    @Test
    void shouldRefuseAMisconfiguredRangeAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(Optional.of(List.of("proxy.internal"))));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(Optional.of(List.of("10.0.0.0/33"))));
    }
}
