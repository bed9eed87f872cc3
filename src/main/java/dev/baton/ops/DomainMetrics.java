package dev.baton.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import dev.baton.chat.ChatResource;
import dev.baton.inbound.InboundResource;
import dev.baton.problem.Problem;
import dev.baton.timeline.TimelineResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.container.ContainerResponseContext;

/**
 * Baton's business counters, read off the REST responses so the services stay free of metering:
 * {@code baton.transitions{kind,outcome}}, {@code baton.replies{outcome}}, {@code baton.inbound{outcome}}.
 * The outcome is {@code ok} (or {@code replayed} for an idempotent repeat) or the problem code.
 */
public class DomainMetrics {

    /** ChatResource method name → custody transition kind. */
    static final Map<String, String> TRANSITIONS = Map.of("intervene", "intervene", "takeOver", "takeover",
            "transfer", "transfer", "release", "release", "resolve", "resolve", "reopen", "reopen");

    private final MeterRegistry registry;
    /** Registered counters by name, kind and outcome: building and registering one per response cost 2 % of a message's CPU. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public DomainMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @ServerResponseFilter
    public void count(SimpleResourceInfo resource, ContainerResponseContext response) {
        Class<?> type = resource.getResourceClass();
        String method = resource.getMethodName();
        if (type == ChatResource.class && TRANSITIONS.containsKey(method)) {
            counter("baton.transitions", "Custody transitions by kind and outcome", response, "kind", TRANSITIONS.get(method))
                    .increment();
        } else if (type == TimelineResource.class && "reply".equals(method)) {
            counter("baton.replies", "Staff replies to customers by outcome", response).increment();
        } else if (type == InboundResource.class && "receive".equals(method)) {
            counter("baton.inbound", "Inbound customer messages by outcome", response).increment();
        }
    }

    private Counter counter(String name, String description, ContainerResponseContext response, String... tags) {
        String outcome = outcome(response);
        return counters.computeIfAbsent(name + '|' + String.join("|", tags) + '|' + outcome,
                key -> Counter.builder(name).description(description).tags(tags).tag("outcome", outcome).register(registry));
    }

    static String outcome(ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem) {
            return problem.code();
        }
        if (response.getStatus() >= 400) {
            return "http-" + response.getStatus();
        }
        return "true".equals(response.getHeaderString("Idempotent-Replayed")) ? "replayed" : "ok";
    }
}
