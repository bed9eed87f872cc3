package dev.baton.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One PostgreSQL and one packaged Baton per test class, torn down after it:
 * {@code @RegisterExtension static final PackagedStack stack = new PackagedStack();}.
 * More replicas on the same database: {@link #startInstance()}.
 */
public class PackagedStack implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> env;
    private final List<PackagedBaton> instances = new ArrayList<>();
    private ExternalPostgres postgres;
    private PackagedBaton second;

    public PackagedStack() {
        this(Map.of());
    }

    /** {@code env}: extra environment variables for every instance. */
    public PackagedStack(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        postgres = ExternalPostgres.start();
        startInstance();
    }

    /** Starts another instance against the same database and waits until it is ready. */
    public PackagedBaton startInstance() {
        PackagedBaton baton = PackagedBaton.start(postgres, env);
        instances.add(baton);
        return baton;
    }

    /**
     * The class's second instance, started on first use and shared by its tests (each test works in its
     * own workspace): every extra start costs a JVM boot and leaves one more instance polling the
     * database for the rest of the class. A test that killed it gets a fresh one.
     */
    public PackagedBaton second() {
        if (second == null || !second.process().isAlive()) {
            second = startInstance();
        }
        return second;
    }

    /** The first instance. */
    public PackagedBaton baton() {
        return instances.get(0);
    }

    public ExternalPostgres postgres() {
        return postgres;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        instances.forEach(PackagedBaton::close);
        instances.clear();
        second = null;
        if (postgres != null) {
            postgres.close();
        }
    }
}
