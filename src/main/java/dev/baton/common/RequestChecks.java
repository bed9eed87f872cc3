package dev.baton.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import dev.baton.problem.InvalidRequest;

/**
 * The constraints of a request body, checked in its record's compact constructor so that an invalid
 * request cannot be constructed: every broken field is collected, then one {@link InvalidRequest}
 * lists them all. Null passes every check but {@code required()}, so an optional field is checked
 * only when present. Messages are the ones clients have always seen (those of Bean Validation, which
 * this replaces because building its metadata cost ~0.1 s of cold start).
 */
public final class RequestChecks {

    /** Compiled once per regex; every regex is a constant shared with the OpenAPI @Schema. */
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private final List<String> errors = new ArrayList<>();

    /** A body the endpoint cannot do without; {@code parameter} names it as clients have always seen it. */
    public static void requireBody(String parameter, Object body) {
        if (body == null) {
            throw InvalidRequest.listing(List.of(parameter + ": must not be null"));
        }
    }

    public Field field(String name, Object value) {
        return new Field(name, value);
    }

    public Text text(String name, String value) {
        return new Text(name, value);
    }

    public void orThrow() {
        if (!errors.isEmpty()) {
            throw InvalidRequest.listing(errors);
        }
    }

    /**
     * Human text: not blank, at most {@code max} characters counted in code points (an emoji counts
     * once), no control characters other than tab and line breaks (and those only when multiline),
     * no lone surrogates (PostgreSQL cannot store them).
     */
    private static boolean isPlainText(String value, int max, boolean multiline) {
        // The length check first spares counting code points of a huge string.
        if (value.isBlank() || value.length() > 2 * max || value.codePointCount(0, value.length()) > max) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r' || c == '\t';
            if ((Character.isISOControl(c) && !(multiline && lineBreak))
                    || (Character.isHighSurrogate(c) && (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(++i))))
                    || Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    public class Field {

        final String name;
        final Object value;

        Field(String name, Object value) {
            this.name = name;
            this.value = value;
        }

        public Field required() {
            check(value != null, "must not be null");
            return this;
        }

        /** A constraint of its own: records {@code message} for this field unless {@code ok}. */
        public final Field check(boolean ok, String message) {
            if (!ok) {
                errors.add(name + ": " + message);
            }
            return this;
        }

        public Field field(String name, Object value) {
            return RequestChecks.this.field(name, value);
        }

        public Text text(String name, String value) {
            return RequestChecks.this.text(name, value);
        }

        public void orThrow() {
            RequestChecks.this.orThrow();
        }
    }

    public final class Text extends Field {

        private final String text;

        Text(String name, String text) {
            super(name, text);
            this.text = text;
        }

        @Override
        public Text required() {
            super.required();
            return this;
        }

        /** Length in UTF-16 units, as Bean Validation's @Size counted it. */
        public Text length(int min, int max) {
            check(text == null || (text.length() >= min && text.length() <= max), "size must be between " + min + " and " + max);
            return this;
        }

        public Text matches(String regex, String message) {
            check(text == null || PATTERNS.computeIfAbsent(regex, Pattern::compile).matcher(text).matches(), message);
            return this;
        }

        /** A name or title: no control characters at all. */
        public Text plainText(int max) {
            return plainText(max, false);
        }

        /** A message or note: tab and line breaks allowed. */
        public Text multilinePlainText(int max) {
            return plainText(max, true);
        }

        private Text plainText(int max, boolean multiline) {
            check(text == null || isPlainText(text, max, multiline),
                    "must be 1 to " + max + " characters of text without control characters");
            return this;
        }
    }
}
