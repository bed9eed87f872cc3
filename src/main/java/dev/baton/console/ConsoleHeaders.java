package dev.baton.console;

import java.util.Map;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Security headers for the console's pages and assets ({@code /}, {@code /index.html}, {@code /console/*}).
 * The policy allows scripts, styles and connections from this origin only, and no inline script or
 * style at all, so text that reaches the page (a customer's message) can never run even if it were
 * ever inserted as markup; the console builds its DOM from text nodes. {@code connect-src 'self'}
 * covers the same-origin ws:/wss: sockets (CSP Level 3). Assets are revalidated on every load
 * ({@code no-cache}): their URLs carry no version, and a stale module next to a new one would break
 * the page after a deploy.
 */
@ApplicationScoped
public class ConsoleHeaders {

    static final String POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", POLICY,
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Cross-Origin-Resource-Policy", "same-origin",
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()",
            "Cache-Control", "no-cache");

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::decorate);
    }

    void decorate(RoutingContext context) {
        if (isConsole(context.normalizedPath())) {
            // Set as the headers go out, so they win over what the static-file handler writes (its Cache-Control).
            context.addHeadersEndHandler(ignored -> {
                HttpServerResponse response = context.response();
                HEADERS.forEach(response::putHeader);
            });
        }
        context.next();
    }

    static boolean isConsole(String path) {
        return path.equals("/") || path.equals("/index.html") || path.startsWith("/console/");
    }
}
