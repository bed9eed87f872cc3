package dev.baton.problem;

import java.util.Optional;
import java.util.Set;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * PRODUCT.md: bodies are JSON. Without a declared type Quarkus REST reads a body as
 * application/octet-stream and answers 415, also for {@code curl -X POST} on an action whose body is
 * optional; with {@code text/plain} it would hand the raw text to a String-capable reader. So a
 * request that sends nothing is read as JSON (an absent body, which each endpoint accepts or refuses
 * with 400 itself), and any other type on a request that may carry a body is a 415.
 */
public class JsonBodies {

    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

    @ServerRequestFilter
    public Optional<Response> requireJson(ContainerRequestContext request) {
        if (!BODY_METHODS.contains(request.getMethod())) {
            return Optional.empty();
        }
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type == null && !carriesBody(request)) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
            return Optional.empty();
        }
        if (type == null || !isJson(type)) {
            return Optional.of(Problem.of(415, "unsupported-media-type", ProblemMappers.detailFor(415)).toResponse());
        }
        return Optional.empty();
    }

    private static boolean carriesBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        return request.getHeaderString("Transfer-Encoding") != null || (length != null && !length.trim().equals("0"));
    }

    private static boolean isJson(String type) {
        try {
            MediaType media = MediaType.valueOf(type);
            return media.getType().equalsIgnoreCase("application")
                    && (media.getSubtype().equalsIgnoreCase("json") || media.getSubtype().toLowerCase().endsWith("+json"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
