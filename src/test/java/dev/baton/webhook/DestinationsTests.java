package dev.baton.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Destination safety without private networks: https only, and every resolved address public.
 * (The same rules at send time, with a name that changes address after creation, are in
 * WebhookDeliveryTests.)
 */
class DestinationsTests {

    @Test
    void shouldRefuseLoopbackPrivateLinkLocalAndMetadataAddresses() throws UnknownHostException {
        for (String refused : List.of("127.0.0.1", "127.9.9.9", "0.0.0.0", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1",
                "169.254.169.254", "100.64.0.1", "100.100.100.200", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1",
                "fd00:ec2::254", "fc00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1")) {
            assertFalse(Destinations.isPublic(InetAddress.getByName(refused)), refused);
        }
        for (String allowed : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:2800:220:1:248:1893:25c8:1946")) {
            assertTrue(Destinations.isPublic(InetAddress.getByName(allowed)), allowed);
        }
    }

    @Test
    void shouldRefuseANameWithAnyPrivateRecordAndPlainHttp() {
        Destinations strict = new Destinations(resolvingTo("93.184.216.34", "10.0.0.7"), false);
        Destinations.Refused refused = assertThrows(Destinations.Refused.class,
                () -> strict.resolve(URI.create("https://hooks.example.com/x")).await().indefinitely());
        assertTrue(refused.getMessage().contains("10.0.0.7"), refused.getMessage());
        assertThrows(Destinations.Refused.class, () -> new Destinations(resolvingTo("93.184.216.34"), false)
                .resolve(URI.create("http://hooks.example.com/x")).await().indefinitely());
        assertEquals("93.184.216.34", new Destinations(resolvingTo("93.184.216.34"), false)
                .resolve(URI.create("https://hooks.example.com/x")).await().indefinitely().getHostAddress());
    }

    @Test
    void shouldLiftBothRulesWhenPrivateNetworksAreAllowed() {
        Destinations open = new Destinations(resolvingTo("127.0.0.1"), true);
        assertEquals("127.0.0.1", open.resolve(URI.create("http://receiver.test:8080/x")).await().indefinitely().getHostAddress());
    }

    static NameResolver resolvingTo(String... addresses) {
        return new NameResolver(null) {
            @Override
            public io.smallrye.mutiny.Uni<List<InetAddress>> resolve(String host) {
                return io.smallrye.mutiny.Uni.createFrom().item(() -> {
                    try {
                        List<InetAddress> out = new java.util.ArrayList<>();
                        for (String a : addresses) {
                            out.add(InetAddress.getByName(a));
                        }
                        return out;
                    } catch (UnknownHostException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        };
    }
}
