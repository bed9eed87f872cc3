package dev.baton.config;

import java.util.List;

import org.eclipse.microprofile.config.Config;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

/**
 * The datasource's TLS settings for the connections Baton opens itself (the real-time pool and the
 * LISTEN connection): the same variables the request pool reads, so no connection falls back to
 * plain text when the operator asks for TLS. Flyway's JDBC connections take them through
 * application.properties (quarkus.datasource.jdbc.additional-jdbc-properties).
 *
 * <ul>
 * <li>{@code QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE}: disable … verify-full</li>
 * <li>{@code QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS}: the CA certificate(s), PEM</li>
 * <li>{@code QUARKUS_DATASOURCE_REACTIVE_TRUST_ALL}, {@code QUARKUS_DATASOURCE_REACTIVE_HOSTNAME_VERIFICATION_ALGORITHM}</li>
 * </ul>
 */
public final class DatabaseTls {

    static final String PREFIX = "quarkus.datasource.reactive.";

    private DatabaseTls() {
    }

    /** Applies the settings found in {@code config} to {@code options}; returns {@code options}. */
    public static PgConnectOptions apply(PgConnectOptions options, Config config) {
        config.getOptionalValue(PREFIX + "postgresql.ssl-mode", String.class).map(SslMode::of).ifPresent(options::setSslMode);
        config.getOptionalValue(PREFIX + "trust-all", Boolean.class).ifPresent(options::setTrustAll);
        config.getOptionalValue(PREFIX + "hostname-verification-algorithm", String.class).ifPresent(options::setHostnameVerificationAlgorithm);
        List<String> certificates = config.getOptionalValues(PREFIX + "trust-certificate-pem.certs", String.class).orElse(List.of());
        if (!certificates.isEmpty()) {
            PemTrustOptions trust = new PemTrustOptions();
            certificates.forEach(trust::addCertPath);
            options.setPemTrustOptions(trust);
        }
        return options;
    }
}
