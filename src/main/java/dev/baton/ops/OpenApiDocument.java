package dev.baton.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import dev.baton.problem.Problem;

/**
 * Completes the generated OpenAPI document with what annotations on the resources would only
 * repeat: tags, bearer security, and every problem+json error an operation can answer with its
 * stable codes (PRODUCT.md). Registered by {@code mp.openapi.filter}.
 */
public class OpenApiDocument implements OASFilter {

    static final String API = "/api/v1";
    static final Set<String> TRANSITIONS = Set.of("intervene", "takeover", "transfer", "release", "resolve", "reopen");
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
        errors(path, method).forEach((status, codes) -> operation.getResponses().addAPIResponse(Integer.toString(status),
                OASFactory.createAPIResponse().description("Problem: " + String.join(", ", codes))
                        .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))))));
    }

    /** The errors of one operation: status → problem codes. */
    static Map<Integer, List<String>> errors(String path, PathItem.HttpMethod method) {
        Map<Integer, List<String>> errors = new LinkedHashMap<>();
        String last = path.substring(path.lastIndexOf('/') + 1);
        boolean write = method != PathItem.HttpMethod.GET;
        add(errors, 400, "validation-failed");
        if (!path.equals(API + "/workspaces")) {
            add(errors, 401, "unauthorized");
        }
        if (path.startsWith(API + "/chats/{id}")) {
            add(errors, 404, "chat-not-found");
            if (write || last.equals("monitors")) {
                add(errors, 403, "forbidden");
            }
            if (write && !last.equals("notes")) {
                add(errors, 403, "not-chat-holder");
            }
        } else if (path.startsWith(API + "/offers/{id}")) {
            add(errors, 404, "offer-not-found");
            if (write) {
                add(errors, 403, "forbidden");
                add(errors, 409, "offer-not-pending");
            }
        } else if (path.startsWith(API + "/agents/{id}")) {
            add(errors, 403, "forbidden");
            add(errors, 404, "agent-not-found");
        } else if (write && (path.equals(API + "/agents") || path.equals(API + "/workspaces") || path.equals(API + "/channel-tokens"))) {
            add(errors, 403, "forbidden");
        }
        if (path.startsWith(API + "/channels/{id}/sends")) {
            add(errors, 403, "forbidden");
            add(errors, 404, "channel-not-found");
            if (last.equals("replay")) {
                add(errors, 404, "chat-not-found");
                add(errors, 404, "send-not-found");
                add(errors, 409, "send-not-failed");
            }
        }
        if (path.startsWith(API + "/webhooks")) {
            add(errors, 403, "forbidden");
            if (path.startsWith(API + "/webhooks/{id}")) {
                add(errors, 404, "webhook-not-found");
            }
            if (last.equals("replay")) {
                add(errors, 409, "conflict");
            }
        }
        if (path.startsWith(API + "/teams") || path.equals(API + "/routing") || path.equals(API + "/queue")) {
            if (write || path.equals(API + "/routing") || path.equals(API + "/queue")) {
                add(errors, 403, "forbidden");
            }
            if (path.startsWith(API + "/teams/{id}") || path.equals(API + "/queue")) {
                add(errors, 404, "team-not-found");
            }
            if (last.equals("members")) {
                add(errors, 404, "agent-not-found");
            }
            if (path.startsWith(API + "/teams") && write && !last.equals("members")) {
                add(errors, 409, "conflict");
            }
        }
        if (path.equals(API + "/agents") && write || path.equals(API + "/workspaces")) {
            add(errors, 409, "conflict");
        }
        if (path.startsWith(API + "/chats/{id}/") && TRANSITIONS.contains(last)) {
            add(errors, 409, "invalid-transition");
            add(errors, 412, "version-mismatch");
            if (last.equals("transfer")) {
                add(errors, 404, "agent-not-found");
                add(errors, 404, "team-not-found");
                add(errors, 409, "same-holder");
                add(errors, 409, "agent-offline");
                add(errors, 409, "agent-at-capacity");
            }
            if (last.equals("intervene")) {
                add(errors, 409, "agent-at-capacity");
            }
            if (last.equals("takeover")) {
                add(errors, 409, "same-holder");
            }
        }
        if (path.equals(API + "/chats/{id}/offers") && write) {
            add(errors, 404, "agent-not-found");
            add(errors, 409, "invalid-transition");
            add(errors, 409, "offer-pending");
            add(errors, 409, "same-holder");
            add(errors, 409, "agent-offline");
        }
        if (write) {
            add(errors, 413, "payload-too-large");
        }
        add(errors, 503, "service-unavailable");
        return errors;
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
        errors.computeIfAbsent(status, s -> new ArrayList<>()).add(code);
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
