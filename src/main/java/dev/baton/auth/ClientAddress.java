package dev.baton.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;

/**
 * The client address the login throttle counts by. Forwarding headers are believed only from a peer
 * listed in {@code BATON_TRUSTED_PROXIES} (CIDR ranges; none by default): then the address is the
 * right-most hop of {@code Forwarded} (or else {@code X-Forwarded-For}) that is not itself a trusted
 * proxy. Proxies append, so the hops left of that were written by the client and are ignored.
 * Quarkus's own {@code quarkus.http.proxy.*} forwarding takes the left-most, client-chosen, value,
 * which would let a guesser pick a fresh address per request.
 */
@Singleton
public class ClientAddress {

    private final List<byte[][]> trusted = new ArrayList<>();

    public ClientAddress(@ConfigProperty(name = "baton.trusted-proxies") Optional<List<String>> trustedProxies) {
        for (String cidr : trustedProxies.orElse(List.of())) {
            trusted.add(range(cidr.trim()));
        }
    }

    public String of(HttpServerRequest request) {
        return of(request.remoteAddress() == null ? null : request.remoteAddress().host(), request.headers().getAll("Forwarded"),
                request.headers().getAll("X-Forwarded-For"));
    }

    String of(String peer, List<String> forwarded, List<String> xForwardedFor) {
        if (peer == null) {
            return "unknown";
        }
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> hops = hops(forwarded, xForwardedFor);
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!isTrusted(hops.get(i))) {
                return hops.get(i);
            }
        }
        return hops.isEmpty() ? peer : hops.get(0);
    }

    /** The forwarded-for chain, client first. */
    private static List<String> hops(List<String> forwarded, List<String> xForwardedFor) {
        List<String> hops = new ArrayList<>();
        if (!forwarded.isEmpty()) {
            for (String element : String.join(",", forwarded).split(",")) {
                for (String pair : element.split(";")) {
                    String p = pair.trim();
                    if (p.regionMatches(true, 0, "for=", 0, 4)) {
                        hops.add(node(p.substring(4)));
                    }
                }
            }
            return hops;
        }
        for (String value : xForwardedFor) {
            for (String hop : value.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(node(hop));
                }
            }
        }
        return hops;
    }

    /** An address without quotes, brackets or port ({@code "[2001:db8::1]:4711"}, {@code 192.0.2.1:80}). */
    private static String node(String raw) {
        String node = raw.trim();
        if (node.length() >= 2 && node.startsWith("\"") && node.endsWith("\"")) {
            node = node.substring(1, node.length() - 1);
        }
        if (node.startsWith("[")) {
            int end = node.indexOf(']');
            return end > 0 ? node.substring(1, end) : node;
        }
        int colon = node.indexOf(':');
        return colon > 0 && colon == node.lastIndexOf(':') ? node.substring(0, colon) : node;
    }

    private boolean isTrusted(String address) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null) {
            return false;
        }
        for (byte[][] range : trusted) {
            if (contains(range, bytes)) {
                return true;
            }
        }
        return false;
    }

    /** {network bytes, mask bytes}. */
    private static byte[][] range(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] network = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? cidr : cidr.substring(0, slash));
        if (network == null) {
            throw new IllegalArgumentException("BATON_TRUSTED_PROXIES: '" + cidr + "' is not an IP address or CIDR range");
        }
        int bits = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        if (bits < 0 || bits > network.length * 8) {
            throw new IllegalArgumentException("BATON_TRUSTED_PROXIES: '" + cidr + "' has an invalid prefix length");
        }
        byte[] mask = new byte[network.length];
        for (int i = 0; i < bits; i++) {
            mask[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        return new byte[][] { network, mask };
    }

    private static boolean contains(byte[][] range, byte[] address) {
        byte[] network = range[0];
        byte[] mask = range[1];
        if (network.length != address.length) {
            return false;
        }
        for (int i = 0; i < address.length; i++) {
            if ((address[i] & mask[i]) != (network[i] & mask[i])) {
                return false;
            }
        }
        return true;
    }
}
