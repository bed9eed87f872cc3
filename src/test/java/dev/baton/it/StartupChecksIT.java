package dev.baton.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod with a bad setting or a bad key must not start: the packaged jar exits non-zero and its log
 * names the variable to fix (before, a negative token lifetime issued dead tokens, zero iterations or
 * a zero login budget turned logins into 500s, a mismatched key pair passed readiness and refused
 * every token, and the Secret template's placeholder key failed with "Illegal base64 character 23").
 */
class StartupChecksIT {

    @Test
    void shouldRefuseToStartNamingTheVariable(@TempDir Path dir) throws Exception {
        Path foreignPublic = dir.resolve("foreign-public.pem");
        Files.writeString(foreignPublic, PackagedBaton.pem("PUBLIC KEY", rsa().getPublic().getEncoded()));
        // k8s/base/secret.yaml's placeholder, as the pod would mount it.
        Path template = dir.resolve("template-private.pem");
        Files.writeString(template, "-----BEGIN PRIVATE KEY-----\nreplace with the PKCS#8 private key\n-----END PRIVATE KEY-----\n");

        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        cases.put("BATON_TOKEN_TTL", Map.of("BATON_TOKEN_TTL", "-PT1H"));
        cases.put("BATON_PASSWORD_ITERATIONS", Map.of("BATON_PASSWORD_ITERATIONS", "0"));
        cases.put("BATON_LOGIN_MAX_FAILURES_PER_ACCOUNT", Map.of("BATON_LOGIN_MAX_FAILURES_PER_ACCOUNT", "0"));
        cases.put("BATON_JWT_PUBLIC_KEY_LOCATION", Map.of("BATON_JWT_PUBLIC_KEY_LOCATION", foreignPublic.toString()));
        cases.put("BATON_JWT_PRIVATE_KEY_LOCATION", Map.of("BATON_JWT_PRIVATE_KEY_LOCATION", template.toString()));

        try (ExternalPostgres postgres = ExternalPostgres.start()) {
            List<Map.Entry<String, PackagedBaton>> started = new ArrayList<>();
            try {
                // Side by side: each one fails within seconds, and the machine has cores to spare for it.
                // No migration at start: the checks need no schema, and six Flyway runs racing for
                // one database's lock on two busy cores time out before any check runs.
                cases.forEach((variable, env) -> {
                    Map<String, String> withoutMigration = new HashMap<>(env);
                    withoutMigration.put("BATON_MIGRATE_AT_START", "false");
                    started.add(Map.entry(variable, PackagedBaton.launch(postgres, withoutMigration)));
                });
                assertAll(started.stream().map(run -> () -> {
                    int exit = run.getValue().awaitExit(Duration.ofSeconds(180));
                    String log = run.getValue().logText();
                    assertNotEquals(-1, exit, run.getKey() + ": still running\n" + log);
                    assertNotEquals(0, exit, run.getKey() + ": exited 0\n" + log);
                    assertTrue(log.contains(run.getKey()), run.getKey() + " is not named in the log:\n" + log);
                }));
            } finally {
                started.forEach(run -> run.getValue().close());
            }
        }
    }

    private static java.security.KeyPair rsa() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
