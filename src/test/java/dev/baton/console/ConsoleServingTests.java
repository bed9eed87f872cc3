package dev.baton.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.baton.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The console is served at / with strict security headers, stays small, and leaves the API's 404s alone. */
@QuarkusTest
class ConsoleServingTests {

    static final Path ASSETS = Path.of("src/main/resources/META-INF/resources");
    static final long BUDGET_BYTES = 150 * 1024;

    @ParameterizedTest
    @ValueSource(strings = { "/", "/index.html", "/console/app.js", "/console/console.css" })
    void shouldServeTheConsoleWithAStrictContentSecurityPolicy(String path) {
        given().get(path).then().statusCode(200)
                .header("Content-Security-Policy", equalTo(ConsoleHeaders.POLICY))
                .header("Content-Security-Policy", not(containsString("unsafe")))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cross-Origin-Opener-Policy", "same-origin")
                .header("Cache-Control", "no-cache");
    }

    @Test
    void shouldServeTheShellAsHtmlAndTheModulesAsJavaScript() {
        given().get("/").then().statusCode(200).contentType(startsWith("text/html")).body(containsString("/console/app.js"));
        given().get("/console/app.js").then().statusCode(200).contentType(containsString("javascript"));
        given().get("/console/console.css").then().statusCode(200).contentType(startsWith("text/css"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/nope", "/console/nope.js", "/api/v1/nope", "/index.htm" })
    void shouldStillAnswerUnknownRoutesWithProblemJson(String path) {
        Api.expectProblem(given().get(path), 404, "not-found");
    }

    @Test
    void shouldLeaveApiResponsesWithoutConsoleHeaders() {
        Response r = given().get("/api/v1/agents");
        assertEquals(401, r.statusCode());
        assertEquals(null, r.header("Content-Security-Policy"));
    }

    @Test
    void shouldHaveNoInlineScriptOrStyleInTheShell() throws IOException {
        String html = Files.readString(ASSETS.resolve("index.html"));
        assertTrue(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>").matcher(html).results().findAny().isEmpty(), "inline <script>");
        assertTrue(!html.contains("<style"), "inline <style>");
        assertTrue(Pattern.compile("\\s(style|on[a-z]+)=").matcher(html).results().findAny().isEmpty(), "inline style or handler attribute");
    }

    /** The console inserts text, never markup: no HTML parsing sinks, no code from strings. */
    @Test
    void shouldNeverTurnStringsIntoMarkupOrCode() throws IOException {
        List<String> sinks = List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setTimeout('",
                "javascript:");
        for (Path file : consoleFiles(".js")) {
            String source = Files.readString(file);
            for (String sink : sinks) {
                assertTrue(!source.contains(sink), file + " uses " + sink);
            }
        }
    }

    @Test
    void shouldKeepScriptsAndStylesWithinTheBudget() throws IOException {
        long total = 0;
        for (Path file : Stream.concat(consoleFiles(".js").stream(), consoleFiles(".css").stream()).toList()) {
            byte[] served = given().get("/" + ASSETS.relativize(file).toString().replace('\\', '/')).then().statusCode(200)
                    .extract().asByteArray();
            total += served.length;
        }
        System.out.printf("console page weight: %,d bytes of JS + CSS (budget %,d)%n", total, BUDGET_BYTES);
        assertTrue(total > 0 && total <= BUDGET_BYTES, "JS + CSS is " + total + " bytes");
    }

    static List<Path> consoleFiles(String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(ASSETS)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
