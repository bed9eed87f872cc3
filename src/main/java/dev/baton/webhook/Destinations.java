package dev.baton.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where a webhook may go. Unless private networks are allowed: https only, and the name must
 * resolve to public addresses only — loopback, private, link-local (cloud metadata at
 * 169.254.169.254), carrier-grade NAT, unique-local and multicast ranges are refused. The check runs
 * on every attempt and returns the checked address, which the sender connects to: no second
 * lookup happens between the check and the connection, so a name re-pointed in between (DNS
 * rebinding) cannot slip through.
 */
@ApplicationScoped
public class Destinations {

    /** A destination that may not be called, and why (shown in the delivery log and in 400s). */
    public static class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final NameResolver resolver;
    private final boolean allowPrivateNetworks;

    public Destinations(NameResolver resolver,
            @ConfigProperty(name = "baton.webhooks.allow-private-networks") boolean allowPrivateNetworks) {
        this.resolver = resolver;
        this.allowPrivateNetworks = allowPrivateNetworks;
    }

    /** The URL's form alone: an absolute http(s) URL with a host, no user info; https unless private networks are allowed. */
    public void checkForm(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
        if (!scheme.equals("https") && !(scheme.equals("http") && allowPrivateNetworks)) {
            throw new Refused(allowPrivateNetworks ? "the URL must be http or https" : "the URL must be https");
        }
        if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawFragment() != null) {
            throw new Refused("the URL must have a host and no user info or fragment");
        }
    }

    /**
     * At creation and update: the form, and unless private networks are allowed the address too, so
     * an owner learns at once; the sender checks again at every attempt all the same.
     */
    public Uni<Void> admit(URI url) {
        return allowPrivateNetworks ? Uni.createFrom().voidItem().invoke(() -> checkForm(url)) : resolve(url).replaceWithVoid();
    }

    /** The address to connect to: checked, and refused with the reason if it may not be called. */
    public Uni<InetAddress> resolve(URI url) {
        return Uni.createFrom().deferred(() -> {
            checkForm(url);
            String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
            return resolver.resolve(host).onFailure().transform(e -> new Refused("the host " + host + " does not resolve"))
                    .map(addresses -> pick(host, addresses));
        });
    }

    private InetAddress pick(String host, List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            throw new Refused("the host " + host + " does not resolve");
        }
        if (!allowPrivateNetworks) {
            // Every address, not only the first: a name with one public and one private record
            // would otherwise reach the private one whenever the order changes.
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    throw new Refused("the host " + host + " resolves to " + address.getHostAddress()
                            + ", a loopback, private, link-local or otherwise non-public address");
                }
            }
        }
        return addresses.get(0);
    }

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            return first != 0 // "this network"
                    && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT (Alibaba's metadata is 100.100.100.200)
                    && !(first == 192 && second == 0 && (b[2] & 0xFF) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xFF;
            if ((first & 0xFE) == 0xFC) { // unique local fc00::/7 (AWS's IPv6 metadata is fd00:ec2::254)
                return false;
            }
            if (isMapped(b) || isNat64(b)) { // an IPv4 address inside an IPv6 one: judge the IPv4 address
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] { b[12], b[13], b[14], b[15] }));
                } catch (java.net.UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
    }

    private static boolean isNat64(byte[] b) {
        return (b[0] & 0xFF) == 0x00 && (b[1] & 0xFF) == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B;
    }
}
