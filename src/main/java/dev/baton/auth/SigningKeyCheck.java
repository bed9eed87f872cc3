package dev.baton.auth;

import java.util.UUID;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Signs a token and verifies it once at start-up. With a private key and a public key that are not
 * one pair, the pod would pass readiness, answer every login with 200 and then refuse each token it
 * issued; instead it does not start, and says which variables to fix.
 */
@ApplicationScoped
public class SigningKeyCheck {

    void check(@Observes @Priority(2) StartupEvent start, TokenService tokens) {
        if (tokens.verify(tokens.issue(UUID.randomUUID(), UUID.randomUUID(), 0)).isEmpty()) {
            throw new IllegalStateException("BATON_JWT_PRIVATE_KEY_LOCATION and BATON_JWT_PUBLIC_KEY_LOCATION are not one key pair: "
                    + "a token signed with the private key does not verify with the public key");
        }
    }
}
