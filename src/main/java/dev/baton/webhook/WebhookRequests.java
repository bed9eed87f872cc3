package dev.baton.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.baton.common.RequestChecks;

/** Request bodies of the webhook endpoints; each checks itself (the destination rules are {@link Destinations}'). */
public final class WebhookRequests {

    static final int URL_MAX = 2000;
    static final int DESCRIPTION_MAX = 200;

    private WebhookRequests() {
    }

    public record NewWebhook(@Schema(required = true, maxLength = URL_MAX) String url, @Schema(required = true) List<String> events,
            @Schema(maxLength = DESCRIPTION_MAX) String description) {

        public NewWebhook {
            RequestChecks checks = new RequestChecks();
            checks.text("url", url).required().length(1, URL_MAX).check(url == null || parses(url), "must be an absolute http(s) URL");
            checks.field("events", events).required();
            checkEvents(checks, events);
            checks.text("description", description).plainText(DESCRIPTION_MAX).orThrow();
        }
    }

    /** Every field optional: what is present changes. */
    public record WebhookPatch(@Schema(maxLength = URL_MAX) String url, List<String> events, @Schema(maxLength = DESCRIPTION_MAX) String description,
            Boolean active) {

        public WebhookPatch {
            RequestChecks checks = new RequestChecks();
            checks.text("url", url).length(1, URL_MAX).check(url == null || parses(url), "must be an absolute http(s) URL");
            checkEvents(checks, events);
            checks.text("description", description).plainText(DESCRIPTION_MAX).orThrow();
        }
    }

    private static void checkEvents(RequestChecks checks, List<String> events) {
        if (events == null) {
            return;
        }
        checks.field("events", events).check(!events.isEmpty(), "must name at least one event type")
                .check(events.stream().allMatch(WebhookEvents.TYPES::contains), "must be event types among " + WebhookEvents.TYPES.stream()
                        .sorted().toList())
                .check(new HashSet<>(events).size() == events.size(), "must not repeat an event type");
    }

    static boolean parses(String url) {
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
