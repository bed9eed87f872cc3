package dev.baton.channel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * Encrypts channel secrets at rest: AES-256-GCM, a fresh 96-bit nonce per value, and the owning
 * row and field as associated data, so a ciphertext copied to another row or field does not
 * decrypt. The key is a file holding 32 random bytes in base64 ({@code openssl rand -base64 32});
 * every replica needs the same file.
 */
@Startup
@Singleton
public class SecretBox {

    private static final Logger LOG = Logger.getLogger(SecretBox.class);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    public SecretBox(@ConfigProperty(name = "baton.secrets.key-location") Optional<String> location) {
        this.key = loadOrGenerate(location.filter(s -> !s.isBlank()));
    }

    public byte[] seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt a secret", e);
        }
    }

    /** The plaintext; fails (without saying anything of the value) when the key or the context is wrong. */
    public String open(byte[] sealed, String context) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored secret does not decrypt with BATON_SECRETS_KEY_LOCATION's key (" + context + ")");
        }
    }

    private static SecretKey loadOrGenerate(Optional<String> location) {
        if (location.isPresent()) {
            String path = location.get().startsWith("file:") ? location.get().substring(5) : location.get();
            try {
                byte[] bytes = Base64.getDecoder().decode(Files.readString(Path.of(path)).strip());
                if (bytes.length != 32) {
                    throw new IllegalStateException("BATON_SECRETS_KEY_LOCATION=" + path + " must hold 32 bytes in base64, not "
                            + bytes.length + " (openssl rand -base64 32)");
                }
                return new SecretKeySpec(bytes, "AES");
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("could not read the secrets key from BATON_SECRETS_KEY_LOCATION=" + path + ": "
                        + e.getMessage(), e);
            }
        }
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException("BATON_SECRETS_KEY_LOCATION must name a file with 32 random bytes in base64 "
                    + "(openssl rand -base64 32) in production: channel secrets are encrypted with it; every replica needs the same file.");
        }
        LOG.warn("No secrets key configured: generated a throw-away key (dev/test only); stored channel secrets die with this process.");
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new SecretKeySpec(bytes, "AES");
    }
}
