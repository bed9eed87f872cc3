package dev.baton.timeline;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import dev.baton.common.RequestChecks;

/** Request bodies of the timeline endpoints; each checks itself. */
public final class TimelineRequests {

    public static final int MAX_TEXT = 4096;
    static final String CLIENT_MESSAGE_ID = "^[A-Za-z0-9_.:-]{1,100}$";
    static final String TEMPLATE_NAME = "^[a-z0-9_]{1,512}$";
    static final String LANGUAGE = "^[a-z]{2,3}(_[A-Za-z0-9]{2,8})?$";
    static final String CLIENT_MESSAGE_ID_MESSAGE = "must be 1 to 100 letters, digits, '_', '.', ':' or '-'";

    private TimelineRequests() {
    }

    /** Free text, or (WhatsApp chats, at any time) a pre-approved template: exactly one of the two. */
    public record Reply(@Schema(maxLength = MAX_TEXT) String text, @Schema(pattern = CLIENT_MESSAGE_ID) String clientMessageId, Template template) {

        public Reply {
            RequestChecks checks = new RequestChecks();
            if (template == null) {
                checks.text("text", text).required();
            } else {
                checks.field("text", text).check(text == null, "must be absent when a template is sent");
            }
            checks.text("text", text).multilinePlainText(MAX_TEXT)
                    .text("clientMessageId", clientMessageId).matches(CLIENT_MESSAGE_ID, CLIENT_MESSAGE_ID_MESSAGE)
                    .orThrow();
        }
    }

    /** A WhatsApp message template: its name, language code and optional components, passed to Meta as given. */
    public record Template(@Schema(required = true, pattern = TEMPLATE_NAME) String name,
            @Schema(required = true, pattern = LANGUAGE) String language, JsonNode components) {

        public Template {
            new RequestChecks()
                    .text("template.name", name).required().matches(TEMPLATE_NAME, "must be 1 to 512 lower-case letters, digits or '_'")
                    .text("template.language", language).required().matches(LANGUAGE, "must be a language code such as en or en_US")
                    .field("template.components", components).check(components == null || components.isArray(), "must be an array")
                    .orThrow();
        }
    }

    public record NewNote(@Schema(required = true, maxLength = MAX_TEXT) String text) {

        public NewNote {
            new RequestChecks().text("text", text).required().multilinePlainText(MAX_TEXT).orThrow();
        }
    }
}
