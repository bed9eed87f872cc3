package dev.baton.console;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import io.restassured.RestAssured;

/**
 * Real Chromium for the console tests: Debian's {@code chromium} package, driven by Playwright with
 * its own browser download switched off (the machines reach no browser CDN). Outside CI a missing
 * Chromium skips the tests with a message; in CI ({@code CI=true}) it fails them, since
 * {@code .ci/run} installs it.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    private final Playwright playwright;
    private final Browser browser;

    private ConsoleBrowser(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static ConsoleBrowser launch() {
        Path executable = Path.of(System.getProperty("baton.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(executable)) {
            String missing = "No Chromium at " + executable + " (apt-get install chromium, or -Dbaton.chromium=<path>)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(missing + ": .ci/run installs it, so CI must have it");
            }
            Assumptions.assumeTrue(false, missing + ": console browser tests skipped");
        }
        // The machines are small and shared: waits are generous, except where a test states its own bound.
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        // Without these flags Chromium phones home (updates, sync, field trials) into a network that has no route out.
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(executable)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
        return new ConsoleBrowser(playwright, browser);
    }

    static String baseUrl() {
        return "http://localhost:" + RestAssured.port;
    }

    /** A fresh browser profile (its own sessionStorage and cache) that records every URL it asks for, sockets included, and every socket frame it receives. */
    Person person(String name, int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height));
        context.setDefaultTimeout(20_000);
        Person person = new Person(name, context, context.newPage(), new ArrayList<>());
        context.onRequest(request -> person.requests().add(request));
        // What a person would never see but a broken page shows: uncaught script errors and CSP refusals.
        person.page().onPageError(error -> person.faults().add("uncaught: " + error));
        person.page().onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                person.faults().add(message.text());
            }
        });
        person.page().onWebSocket(socket -> {
            person.sockets().add(socket.url());
            socket.onFrameReceived(frame -> person.frames().add(frame.text()));
        });
        return person;
    }

    record Person(String name, BrowserContext context, Page page, List<Request> requests, List<String> sockets, List<String> frames,
            List<String> faults) {
        Person(String name, BrowserContext context, Page page, List<Request> requests) {
            this(name, context, page, requests, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        /** What a person can read on the page (hidden controls excluded). */
        String visibleText() {
            return (String) page.evaluate("document.body.innerText");
        }

        void screenshot(String file) {
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(file)).setFullPage(true));
        }
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
