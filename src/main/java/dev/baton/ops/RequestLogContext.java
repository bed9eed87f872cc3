package dev.baton.ops;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import dev.baton.auth.Caller;
import dev.baton.auth.CurrentCaller;
import dev.baton.auth.Public;
import jakarta.ws.rs.Priorities;

/**
 * Tags every log line of an authenticated request with the caller's workspace and agent ids.
 * Runs after {@code BearerTokenFilter}; Quarkus keeps the MDC in the request's Vert.x context, so
 * the tags follow the request across asynchronous steps and never leak into another request.
 */
public class RequestLogContext {

    public static final String WORKSPACE_ID = "workspaceId";
    public static final String AGENT_ID = "agentId";

    private final CurrentCaller current;

    public RequestLogContext(CurrentCaller current) {
        this.current = current;
    }

    @ServerRequestFilter(priority = Priorities.USER + 100)
    public void tag(SimpleResourceInfo resource) {
        if (resource.getResourceClass().isAnnotationPresent(Public.class)) {
            return;
        }
        Caller caller = current.get();
        MDC.put(WORKSPACE_ID, caller.workspaceId().toString());
        MDC.put(AGENT_ID, caller.agentId().toString());
    }
}
