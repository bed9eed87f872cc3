package dev.baton.problem;

import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.baton.common.Refusal;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Every error leaves as application/problem+json; nothing internal (stack, SQL, class names) leaks. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final Routes routes;

    public ProblemMappers(Routes routes) {
        this.routes = routes;
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response response = Problem.of(e.status(), e.code(), e.getMessage()).toResponse();
        e.headers().forEach((name, value) -> response.getHeaders().add(name, value));
        return response;
    }

    @ServerExceptionMapper
    public Response refused(Refusal e) {
        return Problem.of(status(e.code()), e.code().id(), e.getMessage()).toResponse();
    }

    /** The HTTP status of each domain refusal (PRODUCT.md's error table). */
    public static int status(Refusal.Code code) {
        return switch (code) {
            case FORBIDDEN, NOT_CHAT_HOLDER -> 403;
            case AGENT_NOT_FOUND, OFFER_NOT_FOUND, WEBHOOK_NOT_FOUND -> 404;
            case INVALID_TRANSITION, SAME_HOLDER, AGENT_OFFLINE, AGENT_AT_CAPACITY, OFFER_PENDING, OFFER_NOT_PENDING -> 409;
        };
    }

    @ServerExceptionMapper
    public Response invalid(InvalidRequest e) {
        return Problem.of(e.status(), e.code(), e.getMessage()).withErrors(e.errors()).toResponse();
    }

    /**
     * Quarkus REST brings its own mappers for some Jackson exceptions (plain JSON or an empty body);
     * naming the types here makes ours win for each of them.
     */
    @ServerExceptionMapper({ JsonProcessingException.class, JsonParseException.class, MismatchedInputException.class,
            InvalidFormatException.class, UnrecognizedPropertyException.class })
    public Response json(JsonProcessingException e) {
        // A request record refuses invalid values in its constructor; Jackson wraps that refusal.
        if (e.getCause() instanceof InvalidRequest invalid) {
            return invalid(invalid);
        }
        return Problem.of(400, "validation-failed", describe(e)).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return json(json);
        }
        if (status == 400 && cause != null) {
            return Problem.of(400, "validation-failed", "The request body or a parameter could not be read.").toResponse();
        }
        Set<String> allowed = status == 405 || e instanceof NotFoundException ? routes.allowed(uri.getPath()) : Set.of();
        if (!allowed.isEmpty()) {
            // RFC 9110 §15.5.6: a 405 names the methods the resource does accept. Quarkus REST answers 404
            // instead when a method exists on the path only in another resource class (POST
            // /channels/{id}/sends is looked for in ChannelResource): the path exists, so it is a 405 too.
            Response response = Problem.of(405, codeFor(405), detailFor(405)).toResponse();
            response.getHeaders().add(HttpHeaders.ALLOW, String.join(", ", allowed));
            return response;
        }
        return Problem.of(status, codeFor(status), detailFor(status)).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        String state = SqlState.of(e);
        // A concurrent request won a race the service checked for but could not lock (a duplicate
        // username, slug or externalId), or PostgreSQL broke a lock cycle: nothing was written.
        if (SqlState.UNIQUE_VIOLATION.equals(state)) {
            return Problem.of(409, "conflict", "A concurrent request created the same item; retry to see it.").toResponse();
        }
        if (SqlState.DEADLOCK_DETECTED.equals(state) || SqlState.SERIALIZATION_FAILURE.equals(state)) {
            return Problem.of(409, "conflict", "A concurrent change got in the way; nothing was changed, retry the request.")
                    .toResponse();
        }
        if (state != null && state.startsWith(SqlState.DATA_EXCEPTION_CLASS)) {
            // A value slipped past validation that PostgreSQL cannot store or compare (e.g. a NUL character).
            return Problem.of(400, "validation-failed", "A value in the request cannot be processed.").toResponse();
        }
        if (DatabaseUnavailable.matches(e)) {
            LOG.warnf("database unavailable: %s", e.toString());
            return Problem.of(503, "service-unavailable", "The database is unreachable; retry shortly.").toResponse();
        }
        if (unstorableText(e)) {
            return Problem.of(400, "validation-failed", "The request contains text that cannot be stored (e.g. a NUL character).")
                    .toResponse();
        }
        LOG.error("unexpected failure", e);
        return Problem.of(500, "internal-error", "An unexpected error occurred.").toResponse();
    }

    /** PostgreSQL refuses some text (NUL, characters outside the encoding): the client's input, not our failure. */
    private static boolean unstorableText(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg
                    && ("22021".equals(pg.getSqlState()) || "22P05".equals(pg.getSqlState()))) {
                return true;
            }
        }
        return false;
    }

    public static String codeFor(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            default -> status < 500 ? "validation-failed" : "internal-error";
        };
    }

    public static String detailFor(int status) {
        return switch (status) {
            case 401 -> "Missing, invalid or expired credentials.";
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed on this resource.";
            case 406 -> "Only application/json responses are available.";
            case 413 -> "The request body exceeds 64 KiB.";
            case 415 -> "Send the body as application/json.";
            default -> Problem.title(status) + ".";
        };
    }

    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + unknown.getPropertyName() + "'.";
        }
        if (e instanceof InvalidFormatException invalid) {
            return "Invalid value for '" + path(invalid) + "'" + enumHint(invalid.getTargetType()) + ".";
        }
        if (e instanceof MismatchedInputException mismatch) {
            String path = path(mismatch);
            return path.isEmpty()
                    ? "The request body must be a JSON object of the documented shape."
                    : "Wrong type or missing value for '" + path + "'" + enumHint(mismatch.getTargetType()) + ".";
        }
        return "Malformed JSON at line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                + ", column " + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()) + ".";
    }

    private static String enumHint(Class<?> type) {
        if (type != null && type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            StringBuilder names = new StringBuilder();
            for (Object c : constants) {
                names.append(names.length() == 0 ? "" : ", ").append(((Enum<?>) c).name());
            }
            return " (one of " + names + ")";
        }
        return "";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
