package dev.baton.auth;

import java.util.Optional;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import dev.baton.problem.Problem;
import dev.baton.problem.ProblemMappers;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** Every endpoint not marked {@link Public} needs a valid staff token. */
public class BearerTokenFilter {

    private final TokenService tokens;
    private final CurrentCaller current;

    public BearerTokenFilter(TokenService tokens, CurrentCaller current) {
        this.tokens = tokens;
        this.current = current;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request, SimpleResourceInfo resource) {
        if (resource.getResourceClass().isAnnotationPresent(Public.class)) {
            return Optional.empty();
        }
        Optional<Caller> caller = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)).flatMap(tokens::verify);
        if (caller.isEmpty()) {
            return Optional.of(Problem.of(401, "unauthorized", ProblemMappers.detailFor(401)).toResponse());
        }
        current.set(caller.get());
        return Optional.empty();
    }

    public static Optional<String> bearer(String header) {
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).trim());
    }
}
