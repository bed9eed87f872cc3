package dev.baton.workspace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.baton.auth.BearerTokenFilter;
import dev.baton.problem.ApiException;
import io.smallrye.mutiny.Uni;

/** Channel tokens are high-entropy random strings, so a fast SHA-256 is the right stored form. */
public final class ChannelTokens {

    /**
     * Token hash to workspace, for tokens seen valid. Channel tokens never change once issued and
     * there is no revocation yet, so a hit is always right; unknown tokens are never cached.
     */
    private static final Map<String, UUID> KNOWN = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 10_000;

    private ChannelTokens() {
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The workspace a channel's bearer token belongs to; 401 for anything else. Needs an open session. */
    public static Uni<UUID> workspaceOf(String authorization) {
        String token = BearerTokenFilter.bearer(authorization).filter(t -> t.startsWith("bct_") && t.length() < 200)
                .orElseThrow(ApiException::unauthorized);
        String tokenHash = hash(token);
        UUID cached = KNOWN.get(tokenHash);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return ChannelToken.<ChannelToken>find("tokenHash", tokenHash).firstResult().map(found -> {
            if (found == null) {
                throw ApiException.unauthorized();
            }
            if (KNOWN.size() < MAX_CACHED) {
                KNOWN.put(tokenHash, found.workspaceId);
            }
            return found.workspaceId;
        });
    }
}
