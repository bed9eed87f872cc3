package dev.baton.realtime;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.baton.agent.Agent;
import dev.baton.agent.Role;
import dev.baton.auth.BearerTokenFilter;
import dev.baton.auth.Caller;
import dev.baton.auth.TokenService;
import dev.baton.chat.Chat;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * Decides at the HTTP upgrade, before any socket opens: a valid token of an active agent (401
 * otherwise), a same-origin or configured browser Origin (403), and for the monitor path an OWNER or MANAGER (403)
 * watching a chat of its own workspace (404). What it learnt travels to the endpoint in the
 * connection's user data.
 */
@ApplicationScoped
public class SocketAccess implements HttpUpgradeCheck {

    /**
     * What the upgrade check found: whose socket it is, as of the check (the endpoints check again
     * once the socket is registered), and the TCP connection under it.
     */
    public record Grant(UUID agentId, UUID workspaceId, Role role, UUID monitoredChat, HttpConnection tcp) {

        /** The agent as read again after registration: still active, with the role it was let in with. */
        boolean stillHeldBy(Agent agent) {
            return agent != null && agent.active && agent.role == role;
        }
    }

    static final UserData.TypedKey<Grant> GRANT = new UserData.TypedKey<>("baton.grant");
    private static final String CARRIER_PREFIX = "quarkus-http-upgrade#Authorization#";

    /**
     * Resolved at the first upgrade, not when the check is registered: the routes (and this bean)
     * are set up also in the migration Job (QUARKUS_INIT_AND_EXIT), which has no signing keys.
     */
    private final Instance<TokenService> tokens;
    private final List<String> allowedOrigins;

    public SocketAccess(Instance<TokenService> tokens,
            @ConfigProperty(name = "baton.websocket.allowed-origins", defaultValue = "none") List<String> allowedOrigins) {
        this.tokens = tokens;
        this.allowedOrigins = allowedOrigins;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String origin = request.getHeader("Origin");
        if (origin != null && !originAllowed(origin, request.getHeader("Host"))) {
            return CheckResult.rejectUpgrade(403);
        }
        Optional<Caller> caller = token(request).flatMap(tokens.get()::verify);
        if (caller.isEmpty()) {
            return CheckResult.rejectUpgrade(401);
        }
        boolean monitor = context.endpointId().equals(MonitorSocket.class.getName());
        UUID chatId = monitor ? parse(context.pathParam("id")) : null;
        return Panache.withSession(() -> Agent.<Agent>findById(caller.get().agentId()).chain(agent -> {
            if (!caller.get().speaksFor(agent)) {
                return CheckResult.rejectUpgrade(401);
            }
            if (!monitor) {
                context.userData().put(GRANT, new Grant(agent.id, agent.workspaceId, agent.role, null, request.connection()));
                return CheckResult.permitUpgrade();
            }
            if (!agent.role.supervises()) {
                return CheckResult.rejectUpgrade(403);
            }
            if (chatId == null) {
                return CheckResult.rejectUpgrade(404);
            }
            return Chat.<Chat>findById(chatId).chain(chat -> {
                if (chat == null || !chat.workspaceId.equals(agent.workspaceId)) {
                    return CheckResult.rejectUpgrade(404);
                }
                context.userData().put(GRANT, new Grant(agent.id, agent.workspaceId, agent.role, chat.id, request.connection()));
                return CheckResult.permitUpgrade();
            });
        })).onFailure().recoverWithUni(e -> CheckResult.rejectUpgrade(503));
    }

    /** Same-origin pages (Origin's host:port equals Host) and configured origins may open sockets; other sites may not. */
    private boolean originAllowed(String origin, String host) {
        if (allowedOrigins.contains(origin) || allowedOrigins.contains("*")) {
            return true;
        }
        int scheme = origin.indexOf("://");
        return host != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }

    /** The bearer token from the Authorization header, or from the browser's subprotocol carrier. */
    static Optional<String> token(HttpServerRequest request) {
        Optional<String> header = BearerTokenFilter.bearer(request.getHeader("Authorization"));
        if (header.isPresent()) {
            return header;
        }
        String protocols = request.getHeader("Sec-WebSocket-Protocol");
        if (protocols == null) {
            return Optional.empty();
        }
        for (String protocol : protocols.split(",")) {
            String decoded = URLDecoder.decode(protocol.trim(), StandardCharsets.UTF_8);
            if (decoded.startsWith(CARRIER_PREFIX)) {
                return BearerTokenFilter.bearer(decoded.substring(CARRIER_PREFIX.length()));
            }
        }
        return Optional.empty();
    }

    private static UUID parse(String id) {
        try {
            return id != null && id.length() == 36 ? UUID.fromString(id) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
