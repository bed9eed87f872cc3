package dev.baton.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.unchecked.Unchecked;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

/**
 * PBKDF2-HMAC-SHA256 from the JDK (no extra library, native-image friendly). Hashing is slow on
 * purpose, so it always runs on a worker thread, never on the event loop.
 */
@Singleton
public class PasswordHasher {

    private static final String SCHEME = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private volatile String decoy;

    public PasswordHasher(@ConfigProperty(name = "baton.password.iterations") int iterations) {
        this.iterations = iterations;
    }

    public Uni<String> hash(String password) {
        return offEventLoop(() -> hashNow(password));
    }

    /** Checks a password; with no stored hash it does the same work against a decoy, so timing does not reveal unknown users. */
    public Uni<Boolean> matches(String password, String storedOrNull) {
        return offEventLoop(() -> {
            boolean ok = matchesNow(password, storedOrNull == null ? decoy() : storedOrNull);
            return ok && storedOrNull != null;
        });
    }

    /** Runs on a worker and resumes on the caller's Vert.x context, where Hibernate Reactive must continue. */
    private static <T> Uni<T> offEventLoop(Callable<T> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            if (context == null) {
                return Uni.createFrom().item(Unchecked.supplier(work::call));
            }
            return Uni.createFrom().completionStage(context.executeBlocking(work, false).toCompletionStage());
        });
    }

    /** Made on first need rather than at start-up, where it would cost a whole slow hash. */
    private String decoy() {
        String d = decoy;
        if (d == null) {
            d = hashNow("decoy-password-for-equal-timing");
            decoy = d;
        }
        return d;
    }

    String hashNow(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, iterations);
        return SCHEME + "$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(hash);
    }

    boolean matchesNow(String password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(expected, derive(password, salt, Integer.parseInt(parts[1])));
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
