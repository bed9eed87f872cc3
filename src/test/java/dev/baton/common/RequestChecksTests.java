package dev.baton.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.baton.problem.InvalidRequest;

/** The checks request records run in their constructors, with the messages clients have always seen. */
class RequestChecksTests {

    private static final String PLAIN_TEXT_10 = "must be 1 to 10 characters of text without control characters";

    @Test
    void shouldRefuseAMissingRequiredValue() {
        assertErrors(List.of("role: must not be null"), new RequestChecks().field("role", null).required());
        assertErrors(List.of("name: must not be null"), new RequestChecks().text("name", null).required());
        assertValid(new RequestChecks().field("role", "AGENT").required());
    }

    @Test
    void shouldLeaveAnAbsentOptionalValueUnchecked() {
        assertValid(new RequestChecks().text("note", null).length(8, 200).matches("^x$", "must be x").plainText(10)
                .multilinePlainText(10));
    }

    @Test
    void shouldCountLengthInUtf16UnitsLikeBeanValidation() {
        assertErrors(List.of("password: size must be between 8 and 200"), new RequestChecks().text("password", "1234567").length(8, 200));
        assertErrors(List.of("password: size must be between 0 and 3"), new RequestChecks().text("password", "\uD83D\uDE00\uD83D\uDE00").length(0, 3));
        assertValid(new RequestChecks().text("password", "12345678").length(8, 200));
        assertValid(new RequestChecks().text("workspace", "").length(0, 63));
    }

    @Test
    void shouldMatchTheWholeValueAgainstThePattern() {
        String slug = "^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$";
        assertValid(new RequestChecks().text("slug", "acme-1").matches(slug, "must be a slug"));
        assertErrors(List.of("slug: must be a slug"), new RequestChecks().text("slug", "Acme").matches(slug, "must be a slug"));
        assertErrors(List.of("slug: must be a slug"), new RequestChecks().text("slug", "acme\n").matches(slug, "must be a slug"));
        assertErrors(List.of("id: must be digits"), new RequestChecks().text("id", "12a").matches("[0-9]+", "must be digits"));
    }

    @Test
    void shouldCountPlainTextInCodePoints() {
        assertValid(new RequestChecks().text("name", "\uD83D\uDE00".repeat(10)).plainText(10));
        assertErrors(List.of("name: " + PLAIN_TEXT_10), new RequestChecks().text("name", "\uD83D\uDE00".repeat(11)).plainText(10));
        assertErrors(List.of("name: " + PLAIN_TEXT_10), new RequestChecks().text("name", "x".repeat(11)).plainText(10));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "\t\n", "a\u0000b", "a\u0007", "a\u007F", "a\u0085", "\uD800", "a\uD800b", "a\uDC00", "\uDC00\uD800" })
    void shouldRefuseBlankTextControlCharactersAndLoneSurrogates(String text) {
        assertErrors(List.of("note: " + PLAIN_TEXT_10), new RequestChecks().text("note", text).multilinePlainText(10));
        assertErrors(List.of("name: " + PLAIN_TEXT_10), new RequestChecks().text("name", text).plainText(10));
    }

    @ParameterizedTest
    @ValueSource(strings = { "a\tb", "a\nb", "a\r\nb" })
    void shouldAllowTabAndLineBreaksOnlyInMultilineText(String text) {
        assertValid(new RequestChecks().text("note", text).multilinePlainText(10));
        assertErrors(List.of("name: " + PLAIN_TEXT_10), new RequestChecks().text("name", text).plainText(10));
    }

    @Test
    void shouldListEveryBrokenFieldSortedInOneRefusal() {
        InvalidRequest refusal = assertThrows(InvalidRequest.class, () -> new RequestChecks()
                .text("username", "-x").required().matches("^[a-z]+$", "must be letters")
                .text("displayName", null).required().plainText(10)
                .field("role", "AGENT").required()
                .text("password", "short").required().length(8, 200)
                .orThrow());
        assertEquals(List.of("displayName: must not be null", "password: size must be between 8 and 200", "username: must be letters"),
                refusal.errors());
        assertEquals(400, refusal.status());
        assertEquals("validation-failed", refusal.code());
        assertEquals("The request is invalid: displayName: must not be null; password: size must be between 8 and 200; "
                + "username: must be letters", refusal.getMessage());
    }

    @Test
    void shouldRefuseAMissingBodyNamedAsItsParameter() {
        InvalidRequest refusal = assertThrows(InvalidRequest.class, () -> RequestChecks.requireBody("request", null));
        assertEquals(List.of("request: must not be null"), refusal.errors());
        assertDoesNotThrow(() -> RequestChecks.requireBody("request", new Object()));
    }

    private static void assertErrors(List<String> expected, RequestChecks.Field checks) {
        assertEquals(expected, assertThrows(InvalidRequest.class, checks::orThrow).errors());
    }

    private static void assertValid(RequestChecks.Field checks) {
        assertDoesNotThrow(checks::orThrow);
    }
}
