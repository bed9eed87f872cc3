package dev.baton.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.baton.ops.KubernetesManifestTests;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Out-of-range settings are named by their variable; the list of settings is every variable Baton reads. */
class SettingsCheckTests {

    @Test
    void shouldNameEachOutOfRangeVariable() {
        Map<String, String> bad = Map.of(
                "baton.token-ttl", "-PT1H",
                "baton.password.iterations", "0",
                "baton.login.max-failures-per-account", "0",
                "baton.login.failure-window", "PT0S",
                "baton.realtime.stall-limit", "-PT1S",
                "quarkus.datasource.reactive.max-size", "0",
                "baton.jwt.issuer", " ");
        List<String> problems = SettingsCheck.problems(config(bad));
        assertEquals(bad.size(), problems.size(), problems.toString());
        for (String variable : List.of("BATON_TOKEN_TTL=-PT1H", "BATON_PASSWORD_ITERATIONS=0", "BATON_LOGIN_MAX_FAILURES_PER_ACCOUNT=0",
                "BATON_LOGIN_FAILURE_WINDOW=PT0S", "BATON_REALTIME_STALL_LIMIT=-PT1S", "BATON_DB_POOL_SIZE=0", "BATON_JWT_ISSUER")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(variable)), variable + " not named in " + problems);
        }
    }

    @Test
    void shouldAcceptTheDefaultsAndQuarkusDurationForms() {
        assertEquals(List.of(), SettingsCheck.problems(config(Map.of("baton.token-ttl", "PT8H", "baton.login.failure-window", "5m",
                "baton.password.iterations", "600000", "quarkus.shutdown.delay", "0s"))));
    }

    @Test
    void shouldListEveryBatonVariableTheApplicationReads() {
        Set<String> read = KubernetesManifestTests.environmentVariablesRead().stream().filter(v -> v.startsWith("BATON_"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> listed = SettingsCheck.SETTINGS.stream().map(SettingsCheck.Setting::variable).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(read, listed, "SettingsCheck.SETTINGS (the checked list) must name every BATON_ variable read");
    }

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 500)).build();
    }
}
