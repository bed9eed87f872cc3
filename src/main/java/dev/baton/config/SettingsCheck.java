package dev.baton.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every Baton setting, checked once at start-up, before anything is served: an out-of-range value
 * (a negative token lifetime, zero PBKDF2 iterations, a zero login budget) would otherwise start
 * a pod that issues dead tokens or answers logins with 500s. The start fails, the process exits
 * non-zero and the message names the environment variable to fix. {@link #SETTINGS} is also the
 * list of every variable Baton reads (ops/SettingsCheckTests keeps it complete).
 */
@ApplicationScoped
public class SettingsCheck {

    /** A setting: its property, the variable operators set, and the rule its value must meet. */
    public record Setting(String property, String variable, String rule, Predicate<String> valid) {
    }

    public static final List<Setting> SETTINGS = List.of(
            duration("baton.token-ttl", "BATON_TOKEN_TTL", Duration.ofSeconds(60)),
            integer("baton.password.iterations", "BATON_PASSWORD_ITERATIONS", 1_000),
            integer("baton.login.max-failures-per-account", "BATON_LOGIN_MAX_FAILURES_PER_ACCOUNT", 1),
            integer("baton.login.max-failures-per-address", "BATON_LOGIN_MAX_FAILURES_PER_ADDRESS", 1),
            duration("baton.login.failure-window", "BATON_LOGIN_FAILURE_WINDOW", Duration.ofSeconds(1)),
            duration("baton.db.connect-timeout", "BATON_DB_CONNECT_TIMEOUT", Duration.ofMillis(100)),
            duration("baton.db.acquire-timeout", "BATON_DB_ACQUIRE_TIMEOUT", Duration.ofMillis(100)),
            duration("baton.realtime.stall-limit", "BATON_REALTIME_STALL_LIMIT", Duration.ofSeconds(1)),
            duration("quarkus.websockets-next.server.auto-ping-interval", "BATON_WEBSOCKET_PING_INTERVAL", Duration.ofMillis(100)),
            duration("baton.websocket.pong-timeout", "BATON_WEBSOCKET_PONG_TIMEOUT", Duration.ofMillis(100)),
            integer("baton.websocket.max-per-agent", "BATON_WEBSOCKET_MAX_PER_AGENT", 1),
            integer("baton.websocket.max-queued-bytes", "BATON_WEBSOCKET_MAX_QUEUED_BYTES", 16_384),
            integer("baton.whatsapp.messages-per-second", "BATON_WHATSAPP_MESSAGES_PER_SECOND", 1),
            duration("baton.whatsapp.send-timeout", "BATON_WHATSAPP_SEND_TIMEOUT", Duration.ofMillis(100)),
            duration("baton.whatsapp.retry-base", "BATON_WHATSAPP_RETRY_BASE", Duration.ofMillis(1)),
            integer("baton.whatsapp.max-attempts", "BATON_WHATSAPP_MAX_ATTEMPTS", 1),
            duration("baton.whatsapp.send-lease", "BATON_WHATSAPP_SEND_LEASE", Duration.ofSeconds(1)),
            duration("baton.whatsapp.reconcile-wait", "BATON_WHATSAPP_RECONCILE_WAIT", Duration.ZERO),
            duration("baton.routing.sweep-interval", "BATON_ROUTING_SWEEP_INTERVAL", Duration.ofMillis(100)),
            duration("baton.routing.timer-poll", "BATON_ROUTING_TIMER_POLL", Duration.ofMillis(10)),
            new Setting("baton.whatsapp.graph-url", "BATON_WHATSAPP_GRAPH_URL", "must be an http(s) URL",
                    v -> v.startsWith("https://") || v.startsWith("http://")),
            new Setting("baton.whatsapp.graph-api-version", "BATON_WHATSAPP_GRAPH_API_VERSION", "must look like v25.0",
                    v -> v.matches("v\\d+\\.\\d+")),
            // The proxy list and the secrets key are parsed where they are used (auth/ClientAddress,
            // channel/SecretBox), each naming its variable when it is wrong.
            new Setting("baton.trusted-proxies", "BATON_TRUSTED_PROXIES", "must be a comma-separated list of CIDR ranges", v -> true),
            new Setting("baton.secrets.key-location", "BATON_SECRETS_KEY_LOCATION", "must name a file of 32 base64 bytes", v -> true),
            duration("baton.offers.sweep-interval", "BATON_OFFERS_SWEEP_INTERVAL", Duration.ofMillis(50)),
            new Setting("baton.offers.min-expires-in", "BATON_OFFERS_MIN_EXPIRES_IN", "must be a duration between PT0.1S and PT1H",
                    v -> parses(v, DurationConverter::parseDuration)
                            .filter(d -> d.compareTo(Duration.ofMillis(100)) >= 0 && d.compareTo(Duration.ofHours(1)) <= 0).isPresent()),
            new Setting("baton.webhooks.retry-schedule", "BATON_WEBHOOKS_RETRY_SCHEDULE",
                    "must be a comma-separated list of durations (ISO-8601), the first attempt's first", v -> durations(v)),
            duration("baton.webhooks.timeout", "BATON_WEBHOOKS_TIMEOUT", Duration.ofSeconds(1)),
            integer("baton.webhooks.max-in-flight-per-endpoint", "BATON_WEBHOOKS_MAX_IN_FLIGHT_PER_ENDPOINT", 1),
            duration("baton.webhooks.rotation-window", "BATON_WEBHOOKS_ROTATION_WINDOW", Duration.ZERO),
            new Setting("baton.webhooks.allow-private-networks", "BATON_WEBHOOKS_ALLOW_PRIVATE_NETWORKS", "must be true or false",
                    v -> v.equals("true") || v.equals("false")),
            integer("quarkus.datasource.reactive.max-size", "BATON_DB_POOL_SIZE", 1),
            new Setting("quarkus.datasource.reactive.cache-prepared-statements", "BATON_DB_CACHE_PREPARED_STATEMENTS", "must be true or false",
                    v -> v.equals("true") || v.equals("false")),
            integer("quarkus.http.limits.max-connections", "BATON_MAX_CONNECTIONS", 1),
            duration("quarkus.shutdown.delay", "BATON_SHUTDOWN_DELAY", Duration.ZERO),
            new Setting("baton.jwt.issuer", "BATON_JWT_ISSUER", "must not be blank", v -> !v.isBlank()),
            // Booleans and the key files are checked where they are converted and read (Quarkus's
            // boolean conversion; TokenService names the variable of an unreadable key file).
            new Setting("baton.signup-enabled", "BATON_SIGNUP_ENABLED", "must be true or false", v -> true),
            new Setting("quarkus.flyway.migrate-at-start", "BATON_MIGRATE_AT_START", "must be true or false", v -> true),
            new Setting("baton.websocket.allowed-origins", "BATON_WEBSOCKET_ALLOWED_ORIGINS",
                    "must be none, * or a comma-separated list of origins", v -> !v.isBlank()),
            new Setting("baton.jwt.private-key-location", "BATON_JWT_PRIVATE_KEY_LOCATION", "must name a PEM file", v -> true),
            new Setting("baton.jwt.public-key-location", "BATON_JWT_PUBLIC_KEY_LOCATION", "must name a PEM file", v -> true));

    /** Runs before every other start-up observer (the {@code @Startup} beans included). */
    void check(@Observes @Priority(1) StartupEvent start) {
        List<String> problems = problems(ConfigProvider.getConfig());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid settings: " + String.join("; ", problems));
        }
    }

    /** One sentence per setting out of range, naming its variable and the value found. */
    public static List<String> problems(Config config) {
        List<String> problems = new ArrayList<>();
        for (Setting s : SETTINGS) {
            Optional<String> value = config.getOptionalValue(s.property(), String.class);
            if (value.isPresent() && !s.valid().test(value.get().trim())) {
                problems.add(s.variable() + "=" + value.get() + " is invalid: it " + s.rule());
            }
        }
        return problems;
    }

    private static Setting duration(String property, String variable, Duration minimum) {
        return new Setting(property, variable, "must be a duration of at least " + minimum + " (ISO-8601, e.g. PT8H)",
                v -> parses(v, DurationConverter::parseDuration).filter(d -> d.compareTo(minimum) >= 0).isPresent());
    }

    private static Setting integer(String property, String variable, int minimum) {
        return new Setting(property, variable, "must be an integer of at least " + minimum,
                v -> parses(v, Integer::valueOf).filter(i -> i >= minimum).isPresent());
    }

    private static boolean durations(String value) {
        for (String step : value.split(",")) {
            if (parses(step.trim(), DurationConverter::parseDuration).filter(d -> !d.isNegative()).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static <T> Optional<T> parses(String value, Function<String, T> parser) {
        try {
            return Optional.of(parser.apply(value));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
