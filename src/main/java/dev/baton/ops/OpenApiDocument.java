package dev.baton.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import dev.baton.common.Refusal.Code;
import dev.baton.problem.Problem;
import dev.baton.problem.ProblemMappers;

/**
 * Completes the generated OpenAPI document with what the scanner cannot read from the resources:
 * tags, security, 201 for creates, the headers successes and errors carry, and every problem+json
 * error an operation can answer with its stable codes (PRODUCT.md), also as {@code x-problem-codes}.
 * ops/OpenApiContractTests holds the result to the running service. Registered by {@code mp.openapi.filter}.
 */
public class OpenApiDocument implements OASFilter {

    static final String API = "/api/v1";
    /** Extension listing, for each problem response, the stable codes it may carry (machine-readable). */
    static final String CODES = "x-problem-codes";
    static final Set<String> TRANSITIONS = Set.of("intervene", "takeover", "transfer", "release", "resolve", "reopen");
    private static final Set<String> ACTIONS = Set.of("login", "accept", "decline", "cancel", "rotate-secret", "replay");
    private static final Set<String> PUBLIC = Set.of(API + "/workspaces", API + "/auth/login", API + "/inbound/messages");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.components(components
                .addSchema("Problem", problemSchema())
                .addSecurityScheme("bearer", OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .bearerFormat("JWT").description("Staff access token from POST /api/v1/auth/login or sign-up"))
                .addSecurityScheme("channel", OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("Channel token from POST /api/v1/channel-tokens")));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith(API)) {
                item.getOperations().forEach((method, operation) -> describe(path, method, operation));
            }
        });
    }

    private static void describe(String path, PathItem.HttpMethod method, Operation operation) {
        operation.setTags(List.of(tag(path)));
        if (path.equals(API + "/inbound/messages")) {
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("channel"));
        } else if (!PUBLIC.contains(path)) {
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("bearer"));
        }
        APIResponse generated = operation.getResponses().getAPIResponse("200");
        if (creates(path, method) && generated != null) {
            // The resources answer 201 (@ResponseStatus or RestResponse), which the scanner does not read.
            operation.getResponses().removeAPIResponse("200");
            operation.getResponses().addAPIResponse("201", generated.description("Created"));
        }
        successHeaders(path).forEach((name, description) -> operation.getResponses().getAPIResponses().values()
                .forEach(success -> success.addHeader(name, header(description))));
        errors(path, method).forEach((status, codes) -> {
            APIResponse response = OASFactory.createAPIResponse().description("Problem: " + String.join(", ", codes))
                    .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                            OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))))
                    .addExtension(CODES, codes);
            errorHeaders(status).forEach((name, description) -> response.addHeader(name, header(description)));
            operation.getResponses().addAPIResponse(Integer.toString(status), response);
        });
    }

    /** A POST to a collection (not an action on an item, not login): it creates, and answers 201. */
    static boolean creates(String path, PathItem.HttpMethod method) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return method == PathItem.HttpMethod.POST && !last.startsWith("{") && !ACTIONS.contains(last) && !TRANSITIONS.contains(last);
    }

    /** Headers every success of the operation carries (the generated document holds only its successes here). */
    private static Map<String, String> successHeaders(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (path.equals(API + "/chats/{id}") || path.startsWith(API + "/chats/{id}/") && TRANSITIONS.contains(last)) {
            return Map.of("ETag", "The chat's version, quoted; send it back as If-Match to act only on this version");
        }
        if (path.equals(API + "/chats/{id}/messages") || path.equals(API + "/inbound/messages")) {
            return Map.of("Idempotent-Replayed", "true when the clientMessageId / externalId was seen before and nothing new was stored");
        }
        return Map.of();
    }

    private static Map<String, String> errorHeaders(int status) {
        return switch (status) {
            case 401 -> Map.of("WWW-Authenticate", "Bearer");
            case 405 -> Map.of("Allow", "The methods this path accepts");
            case 429 -> Map.of("Retry-After", "Seconds until the next attempt may succeed");
            default -> Map.of();
        };
    }

    private static Header header(String description) {
        return OASFactory.createHeader().description(description).schema(OASFactory.createSchema().addType(SchemaType.STRING));
    }

    /**
     * The errors of one operation: status → problem codes. Domain refusals take their status from
     * {@link ProblemMappers#status}, the protocol errors their code from {@link ProblemMappers#codeFor},
     * so the document says what the mappers answer.
     */
    static Map<Integer, List<String>> errors(String path, PathItem.HttpMethod method) {
        Map<Integer, List<String>> errors = new TreeMap<>();
        String last = path.substring(path.lastIndexOf('/') + 1);
        boolean write = method != PathItem.HttpMethod.GET;
        add(errors, 400, "validation-failed");
        if (!path.equals(API + "/workspaces")) {
            protocol(errors, 401);
        }
        if (path.equals(API + "/auth/login")) {
            add(errors, 429, "too-many-requests");
        }
        if (path.startsWith(API + "/chats/{id}")) {
            add(errors, 404, "chat-not-found");
            if (last.equals("monitors")) {
                refusal(errors, Code.FORBIDDEN);
            }
            if (write) {
                refusal(errors, Code.NOT_CHAT_HOLDER);
            }
            if (last.equals("takeover") || last.equals("offers") && write) {
                refusal(errors, Code.FORBIDDEN);
            }
            if (last.equals("messages")) {
                add(errors, 409, "window-closed");
            }
        } else if (path.startsWith(API + "/offers/{id}")) {
            refusal(errors, Code.OFFER_NOT_FOUND);
            if (write) {
                refusal(errors, Code.FORBIDDEN, Code.OFFER_NOT_PENDING);
            }
        } else if (path.startsWith(API + "/agents/{id}")) {
            refusal(errors, Code.FORBIDDEN, Code.AGENT_NOT_FOUND);
        } else if (write && (path.equals(API + "/agents") || path.equals(API + "/workspaces") || path.equals(API + "/channel-tokens"))) {
            refusal(errors, Code.FORBIDDEN);
        }
        if (path.startsWith(API + "/channels")) {
            refusal(errors, Code.FORBIDDEN);
            if (path.startsWith(API + "/channels/{id}")) {
                add(errors, 404, "channel-not-found");
            } else if (write) {
                add(errors, 409, "conflict");
            }
            if (last.equals("replay")) {
                add(errors, 404, "chat-not-found");
                add(errors, 404, "send-not-found");
                add(errors, 409, "send-not-failed");
            }
        }
        if (path.startsWith(API + "/webhooks")) {
            refusal(errors, Code.FORBIDDEN);
            if (path.startsWith(API + "/webhooks/{id}")) {
                refusal(errors, Code.WEBHOOK_NOT_FOUND);
            }
            if (last.equals("replay")) {
                add(errors, 409, "conflict");
            }
        }
        if (path.startsWith(API + "/teams") || path.equals(API + "/routing") || path.equals(API + "/queue")) {
            if (write || path.equals(API + "/routing") || path.equals(API + "/queue")) {
                refusal(errors, Code.FORBIDDEN);
            }
            if (path.startsWith(API + "/teams/{id}") || path.equals(API + "/queue")) {
                add(errors, 404, "team-not-found");
            }
            if (last.equals("members")) {
                refusal(errors, Code.AGENT_NOT_FOUND);
            }
            if (path.startsWith(API + "/teams") && write && !last.equals("members")) {
                add(errors, 409, "conflict");
            }
        }
        if (path.equals(API + "/agents") && write || path.equals(API + "/workspaces")) {
            add(errors, 409, "conflict");
        }
        if (path.startsWith(API + "/chats/{id}/") && TRANSITIONS.contains(last)) {
            refusal(errors, Code.INVALID_TRANSITION);
            add(errors, 412, "version-mismatch");
            if (last.equals("transfer")) {
                refusal(errors, Code.AGENT_NOT_FOUND);
                add(errors, 404, "team-not-found");
                refusal(errors, Code.SAME_HOLDER, Code.AGENT_OFFLINE, Code.AGENT_AT_CAPACITY);
            }
            if (last.equals("intervene")) {
                refusal(errors, Code.AGENT_AT_CAPACITY);
            }
            if (last.equals("takeover")) {
                refusal(errors, Code.SAME_HOLDER);
            }
        }
        if (path.equals(API + "/chats/{id}/offers") && write) {
            refusal(errors, Code.AGENT_NOT_FOUND, Code.INVALID_TRANSITION, Code.OFFER_PENDING, Code.SAME_HOLDER, Code.AGENT_OFFLINE);
        }
        protocol(errors, 405);
        protocol(errors, 406);
        if (write) {
            protocol(errors, 413);
            protocol(errors, 415);
        }
        add(errors, 503, "service-unavailable");
        return errors;
    }

    private static void refusal(Map<Integer, List<String>> errors, Code... codes) {
        for (Code code : codes) {
            add(errors, ProblemMappers.status(code), code.id());
        }
    }

    private static void protocol(Map<Integer, List<String>> errors, int status) {
        add(errors, status, ProblemMappers.codeFor(status));
    }

    static String tag(String path) {
        String[] segments = path.substring(API.length() + 1).split("/");
        String last = segments[segments.length - 1];
        return switch (segments[0]) {
            case "workspaces" -> "Workspaces";
            case "auth" -> "Authentication";
            case "agents" -> "Agents";
            case "channel-tokens", "inbound" -> "Channel";
            case "offers" -> "Offers";
            case "webhooks" -> "Webhooks";
            case "channels" -> "Channels";
            case "teams", "routing", "queue" -> "Routing";
            case "chats" -> segments.length < 3 ? "Chats" : TRANSITIONS.contains(last) ? "Custody"
                    : last.equals("monitors") ? "Monitoring" : last.equals("offers") ? "Offers" : "Timeline";
            default -> "Other";
        };
    }

    private static void add(Map<Integer, List<String>> errors, int status, String code) {
        List<String> codes = errors.computeIfAbsent(status, s -> new ArrayList<>());
        if (!codes.contains(code)) {
            codes.add(code);
        }
    }

    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().addType(SchemaType.STRING);
        return OASFactory.createSchema().addType(SchemaType.OBJECT)
                .description("RFC 9457 problem details with Baton's stable machine-readable code")
                .addProperty("type", string).addProperty("title", string)
                .addProperty("status", OASFactory.createSchema().addType(SchemaType.INTEGER))
                .addProperty("detail", string)
                .addProperty("code", OASFactory.createSchema().addType(SchemaType.STRING).description("stable machine-readable code")
                        .example("chat-not-found"))
                .addProperty("errors", OASFactory.createSchema().addType(SchemaType.ARRAY).items(string))
                .required(List.of("type", "title", "status", "detail", "code"));
    }
}
