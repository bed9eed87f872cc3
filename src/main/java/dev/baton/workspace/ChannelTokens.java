package dev.baton.workspace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

import dev.baton.auth.BearerTokenFilter;
import dev.baton.problem.ApiException;
import io.smallrye.mutiny.Uni;

/** Channel tokens are high-entropy random strings, so a fast SHA-256 is the right stored form. */
public final class ChannelTokens {

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
        return ChannelToken.<ChannelToken>find("tokenHash", hash(token)).firstResult().map(found -> {
            if (found == null) {
                throw ApiException.unauthorized();
            }
            return found.workspaceId;
        });
    }
}
