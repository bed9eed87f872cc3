package dev.baton.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * Issues and verifies Baton's access tokens: compact JWS, RS256 only. Accepting exactly one
 * algorithm, fixed here rather than read from the token, rules out "alg: none" and key-confusion
 * forgeries by construction.
 */
@Startup
@Singleton
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    private static final long CLOCK_SKEW_SECONDS = 30;
    /** Tokens remembered as verified; past this many the memory is started afresh (a few MB at most). */
    private static final int VERIFIED_MAX = 4096;

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String issuer;
    private final Duration ttl;
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    /**
     * Tokens whose signature and claims were checked, with their validity window. A client presents
     * the same token with every request: the RSA verification and two JSON parses are done once per
     * token, not per request. Only an exact, already verified string hits; the time window is
     * checked on every use.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(Caller caller, long notBefore, long expires) {
    }

    public TokenService(@ConfigProperty(name = "baton.jwt.private-key-location") Optional<String> privateLocation,
            @ConfigProperty(name = "baton.jwt.public-key-location") Optional<String> publicLocation,
            @ConfigProperty(name = "baton.jwt.issuer") String issuer,
            @ConfigProperty(name = "baton.token-ttl") Duration ttl) {
        this.issuer = issuer;
        this.ttl = ttl;
        this.clock = Clock.systemUTC();
        KeyPair keys = loadOrGenerate(privateLocation.filter(s -> !s.isBlank()), publicLocation.filter(s -> !s.isBlank()));
        this.privateKey = keys.getPrivate();
        this.publicKey = keys.getPublic();
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue(UUID agentId, UUID workspaceId, int tokenEpoch) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", agentId.toString());
        claims.put("ws", workspaceId.toString());
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + ttl.toSeconds());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("epoch", tokenEpoch);
        return sign(claims);
    }

    /** Signs arbitrary claims; package-private so tests can forge expired or foreign tokens with the real key. */
    String sign(Map<String, Object> claims) {
        try {
            String payload = B64.encodeToString(json.writeValueAsBytes(claims));
            String signingInput = HEADER + "." + payload;
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(privateKey);
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(signer.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
    }

    /** The caller a token speaks for, or empty for anything forged, malformed, expired or not yet valid. */
    public Optional<Caller> verify(String token) {
        if (token == null || token.length() > 4096) {
            return Optional.empty();
        }
        Verified known = verified.get(token);
        if (known != null) {
            return within(known.notBefore(), known.expires()) ? Optional.of(known.caller()) : Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            byte[] headerBytes = B64D.decode(parts[0]);
            Map<String, Object> header = json.readValue(headerBytes, new TypeReference<>() {
            });
            if (!"RS256".equals(header.get("alg")) || header.containsKey("crit")) {
                return Optional.empty();
            }
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(publicKey);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(B64D.decode(parts[2]))) {
                return Optional.empty();
            }
            Map<String, Object> claims = json.readValue(B64D.decode(parts[1]), new TypeReference<>() {
            });
            if (!issuer.equals(claims.get("iss")) || !(claims.get("exp") instanceof Number exp)
                    || !(claims.get("nbf") instanceof Number nbf) || !within(nbf.longValue(), exp.longValue())) {
                return Optional.empty();
            }
            // Tokens of the release before epochs carry none: they belong to epoch 0, which every agent had then.
            Object epoch = claims.getOrDefault("epoch", 0);
            if (!(epoch instanceof Integer tokenEpoch)) {
                return Optional.empty();
            }
            Caller caller = new Caller(UUID.fromString((String) claims.get("sub")), UUID.fromString((String) claims.get("ws")),
                    tokenEpoch);
            if (verified.size() >= VERIFIED_MAX) {
                verified.clear();
            }
            verified.put(token, new Verified(caller, nbf.longValue(), exp.longValue()));
            return Optional.of(caller);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException | ClassCastException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private boolean within(long notBefore, long expires) {
        long now = clock.instant().getEpochSecond();
        return expires + CLOCK_SKEW_SECONDS >= now && notBefore - CLOCK_SKEW_SECONDS <= now;
    }

    private static KeyPair loadOrGenerate(Optional<String> privateLocation, Optional<String> publicLocation) {
        if (privateLocation.isPresent() && publicLocation.isPresent()) {
            PrivateKey priv = read("BATON_JWT_PRIVATE_KEY_LOCATION", privateLocation.get(), (rsa, der) -> rsa.generatePrivate(new PKCS8EncodedKeySpec(der)));
            PublicKey pub = read("BATON_JWT_PUBLIC_KEY_LOCATION", publicLocation.get(), (rsa, der) -> rsa.generatePublic(new X509EncodedKeySpec(der)));
            return new KeyPair(pub, priv);
        }
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException("BATON_JWT_PRIVATE_KEY_LOCATION and BATON_JWT_PUBLIC_KEY_LOCATION must both name PEM files "
                    + "(PKCS#8 private key, X.509 public key) in production; every replica needs the same pair.");
        }
        LOG.warn("No JWT key pair configured: generated a throw-away pair (dev/test only).");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface KeyReader<K> {
        K read(KeyFactory rsa, byte[] der) throws GeneralSecurityException;
    }

    /** A malformed file (the Secret template's placeholder text included) names its variable. */
    private static <K> K read(String variable, String location, KeyReader<K> reader) {
        try {
            return reader.read(KeyFactory.getInstance("RSA"), pem(location));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(variable + "=" + location + " is not a readable PEM RSA key: " + e.getMessage(), e);
        }
    }

    private static byte[] pem(String location) throws IOException {
        String text = Files.readString(Path.of(location.startsWith("file:") ? location.substring(5) : location));
        String base64 = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(base64);
    }
}
