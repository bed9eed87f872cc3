package dev.baton.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.baton.console.ConsolePage.button;
import static dev.baton.console.ConsolePage.composer;
import static dev.baton.console.ConsolePage.entries;
import static dev.baton.console.ConsolePage.reply;
import static dev.baton.console.ConsolePage.seqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

import dev.baton.console.ConsoleBrowser.Person;
import dev.baton.support.Api;
import dev.baton.support.Api.Staff;
import io.quarkus.test.junit.QuarkusTest;

/** The seed's screens in real Chromium: three people, live sockets, a dropped socket, the admin page. */
@QuarkusTest
class ConsoleBrowserTests {

    private static final int LAPTOP_WIDTH = 1366;
    private static final int LAPTOP_HEIGHT = 800;
    private static final int PHONE_WIDTH = 390;
    private static final int PHONE_HEIGHT = 844;

    private static ConsoleBrowser browser;

    @BeforeAll
    static void launch() {
        browser = ConsoleBrowser.launch();
    }

    @AfterAll
    static void quit() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void shouldPlayTheSeedStoryInThreeBrowsers() {
        Api api = Api.signUp();
        Staff manager = api.createAgent("manager1", "MANAGER");
        Staff demo = api.createAgent("demoag3576", "AGENT");
        Staff kamlakshi = api.createAgent(manager, "Kamlakshi_demo_account", "AGENT");
        String phone = "+919876543210";
        String chatId = api.inbound(phone, "Hi, my order is late", true).then().statusCode(201).extract().path("chatId");

        Person managerBrowser = browser.person("manager", LAPTOP_WIDTH, LAPTOP_HEIGHT);
        Person demoBrowser = browser.person("demoag3576", PHONE_WIDTH, PHONE_HEIGHT);
        Person kamlakshiBrowser = browser.person("Kamlakshi", LAPTOP_WIDTH, LAPTOP_HEIGHT);
        managerBrowser.page().navigate(ConsoleBrowser.baseUrl() + "/");
        managerBrowser.screenshot("01-sign-in.png");
        ConsolePage managerUi = new ConsolePage(managerBrowser.page()).signIn(api.slug, "manager1");
        ConsolePage demoUi = new ConsolePage(demoBrowser.page()).signIn(api.slug, "demoag3576");
        ConsolePage kamlakshiUi = new ConsolePage(kamlakshiBrowser.page()).signIn(api.slug, "Kamlakshi_demo_account");

        // demoag3576 picks the chat from the queue and answers.
        assertThat(demoUi.row(chatId)).containsText("waiting for an agent");
        Locator demoView = demoUi.open(chatId);
        assertThat(composer(demoView)).isDisabled();
        button(demoView, "Intervene").click();
        assertThat(composer(demoView)).isEnabled();
        reply(demoView, "Let me check that for you");

        // The manager sees it live in Intervened, and watches incognito.
        managerUi.tab("intervened");
        assertThat(managerUi.row(chatId)).containsText("intervened by demoag3576");
        managerBrowser.screenshot("02-live-chat-intervened.png");
        Locator managerView = managerUi.open(chatId);
        assertThat(managerView.locator("[data-holder]")).hasText("intervened by demoag3576");
        button(managerView, "Monitor incognito").click();
        assertThat(managerView.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("Monitoring incognito")))
                .isVisible();
        api.inbound(phone, "Any news?", true).then().statusCode(201);
        assertThat(entries(managerView).filter(new Locator.FilterOptions().setHasText("Any news?"))).hasCount(1);
        assertThat(entries(demoView).filter(new Locator.FilterOptions().setHasText("Any news?"))).hasCount(1);
        // Nothing on demoag3576's screen or in any frame it received hints at the watcher.
        assertTrue(!Pattern.compile("monitor|manager1", Pattern.CASE_INSENSITIVE).matcher(demoBrowser.visibleText()).find(),
                demoBrowser.visibleText());
        assertTrue(demoBrowser.frames().stream().noneMatch(f -> f.contains(manager.id()) || f.toLowerCase().contains("monitor")),
                String.join("\n", demoBrowser.frames()));
        managerBrowser.screenshot("03-chat-monitoring-incognito.png");
        demoBrowser.screenshot("04-agent-chat-phone.png");

        // Take over: demoag3576's composer locks within a second of the take-over, without a reload.
        button(managerView, "Take over").click();
        long clicked = System.nanoTime();
        button(managerView, "Confirm take over").click();
        assertThat(managerView.locator("[data-holder]")).hasText("intervened by manager1");
        long answered = System.nanoTime();
        assertThat(composer(demoView)).isDisabled(new LocatorAssertions.IsDisabledOptions().setTimeout(1000));
        long locked = System.nanoTime();
        System.out.printf("console take-over: manager's page updated %d ms after the click, agent's composer locked %d ms after that%n",
                (answered - clicked) / 1_000_000, (locked - answered) / 1_000_000);
        assertThat(demoView.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("manager1 took over this chat")))
                .isVisible();
        assertThat(demoView.locator("ol.timeline")).isHidden();
        assertThat(composer(managerView)).isEnabled();
        demoBrowser.screenshot("05-agent-locked-after-take-over.png");

        // Transfer to Kamlakshi_demo_account through the dropdown, which shows availability and load.
        Locator transferTo = managerView.getByLabel("Transfer to");
        transferTo.focus();
        assertThat(transferTo.locator("option[value='" + kamlakshi.id() + "']")).hasText("Kamlakshi_demo_account — online · 0 chats");
        assertThat(transferTo.locator("option[value='" + manager.id() + "']")).hasCount(0);
        transferTo.selectOption(kamlakshi.id());
        managerView.getByLabel("Transfer note").fill("Customer waiting on a late order");
        button(managerView, "Transfer").click();
        assertThat(managerView.locator("[data-holder]")).hasText("intervened by Kamlakshi_demo_account");
        assertThat(composer(managerView)).isDisabled();

        // She gets it live in Mine, replies, and the manager's monitor shows the reply.
        kamlakshiUi.tab("mine");
        Locator kamlakshiView = kamlakshiUi.open(chatId);
        assertThat(entries(kamlakshiView).filter(new Locator.FilterOptions().setHasText("Customer waiting on a late order")))
                .hasCount(1);
        reply(kamlakshiView, "Hello, I am taking care of your order");
        assertThat(entries(managerView).filter(new Locator.FilterOptions().setHasText("Hello, I am taking care of your order")))
                .hasCount(1);
        kamlakshiBrowser.screenshot("06-transferred-chat-reply.png");
        managerBrowser.screenshot("07-manager-monitor-after-transfer.png");
        assertEquals(LongStream.rangeClosed(1, seqs(managerView).size()).boxed().toList(), seqs(managerView),
                "the manager's page shows every seq once, in order");

        for (Person person : List.of(managerBrowser, demoBrowser, kamlakshiBrowser)) {
            assertOnlySameOrigin(person);
        }
        assertTrue((Boolean) demoBrowser.page().evaluate("document.documentElement.scrollWidth <= window.innerWidth"),
                "no sideways scrolling at phone width");
        long weight = scriptAndStyleBytes(managerBrowser);
        System.out.printf("console page weight in the browser: %,d bytes of JS + CSS%n", weight);
        assertTrue(weight > 0 && weight <= ConsoleServingTests.BUDGET_BYTES, "JS + CSS loaded: " + weight);
    }

    @Test
    void shouldCatchUpAfterASocketDropWithoutGapsOrDuplicates() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("dropper", "AGENT");
        String phone = Api.randomPhone();
        String chatId = api.inbound(phone, "first", true).then().statusCode(201).extract().path("chatId");
        Api.act(agent, chatId, "intervene").then().statusCode(200);

        Person person = browser.person("dropper", LAPTOP_WIDTH, LAPTOP_HEIGHT);
        // The inbox socket passes through a relay the test controls: it can lose frames, cut the
        // connection (close 1001, as a server going away does) and deliver frames twice.
        AtomicBoolean losing = new AtomicBoolean();
        AtomicBoolean doubling = new AtomicBoolean();
        AtomicInteger fromServer = new AtomicInteger();
        List<WebSocketRoute[]> relays = new ArrayList<>();
        person.page().routeWebSocket(Pattern.compile(".*/ws/v1/inbox$"), page -> {
            WebSocketRoute server = page.connectToServer();
            server.onMessage(frame -> {
                fromServer.incrementAndGet();
                if (!losing.get()) {
                    page.send(frame.text());
                    if (doubling.get()) {
                        page.send(frame.text());
                    }
                }
            });
            relays.add(new WebSocketRoute[] { page, server });
        });
        ConsolePage ui = new ConsolePage(person.page()).signIn(api.slug, "dropper").tab("mine");
        Locator view = ui.open(chatId);
        api.inbound(phone, "before the drop", true).then().statusCode(201);
        assertThat(entries(view).filter(new Locator.FilterOptions().setHasText("before the drop"))).hasCount(1);

        losing.set(true);
        int before = fromServer.get();
        for (int i = 1; i <= 3; i++) {
            api.inbound(phone, "lost frame " + i, true).then().statusCode(201);
        }
        person.page().waitForCondition(() -> fromServer.get() >= before + 3);
        assertThat(entries(view).filter(new Locator.FilterOptions().setHasText("lost frame"))).hasCount(0);
        WebSocketRoute[] relay = relays.get(relays.size() - 1);
        relay[1].close();
        relay[0].close(new WebSocketRoute.CloseOptions().setCode(1001).setReason("going away"));
        losing.set(false);
        doubling.set(true);
        person.page().waitForCondition(() -> relays.size() == 2);
        assertThat(person.page().locator("#link-state")).hasText("Live");
        for (int i = 1; i <= 3; i++) {
            assertThat(entries(view).filter(new Locator.FilterOptions().setHasText("lost frame " + i))).hasCount(1);
        }
        for (int i = 1; i <= 2; i++) {
            api.inbound(phone, "doubled frame " + i, true).then().statusCode(201);
            assertThat(entries(view).filter(new Locator.FilterOptions().setHasText("doubled frame " + i))).hasCount(1);
        }
        person.screenshot("08-caught-up-after-socket-drop.png");

        long lastSeq = Api.chat(agent, chatId).then().statusCode(200).extract().jsonPath().getLong("lastSeq");
        assertEquals(LongStream.rangeClosed(1, lastSeq).boxed().toList(), seqs(view), "every seq exactly once, in order");
        assertOnlySameOrigin(person);
    }

    @Test
    void shouldManageAgentsFromTheAdminPage() {
        Api api = Api.signUp();
        Person owner = browser.person("owner", LAPTOP_WIDTH, LAPTOP_HEIGHT);
        ConsolePage ui = new ConsolePage(owner.page()).signIn(api.slug, "owner");
        owner.page().getByRole(AriaRole.LINK, new com.microsoft.playwright.Page.GetByRoleOptions().setName("Agents")).click();
        Locator form = owner.page().locator("form.create");
        form.getByLabel("Username").fill("newhire");
        form.getByLabel("Display name").fill("New Hire");
        form.getByLabel("Password").fill(Api.DEFAULT_PASSWORD);
        form.getByLabel("Role").selectOption("AGENT");
        button(form, "Create agent").click();
        Locator row = owner.page().locator("tr[data-agent=newhire]");
        assertThat(row).containsText("New Hire");
        row.getByLabel("Role of newhire").selectOption("MANAGER");
        assertThat(owner.page().getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("newhire: manager, active")))
                .isVisible();
        button(owner.page().locator("tr[data-agent=newhire]"), "Deactivate newhire").click();
        assertThat(owner.page().locator("tr[data-agent=newhire]")).containsText("deactivated");
        owner.screenshot("09-agents-admin.png");
        api.owner.as().get("/api/v1/agents").then().statusCode(200)
                .body("find { it.username == 'newhire' }.role", org.hamcrest.Matchers.equalTo("MANAGER"))
                .body("find { it.username == 'newhire' }.active", org.hamcrest.Matchers.equalTo(false));
        assertOnlySameOrigin(owner);
        ui.page.close();
    }

    /** Keyboard only: sign in, reach a chat in the list and open it; the focused control is visibly outlined. */
    @Test
    void shouldBeUsableWithTheKeyboardAlone() {
        Api api = Api.signUp();
        String chatId = api.newChat(true);
        Person owner = browser.person("keyboard", LAPTOP_WIDTH, LAPTOP_HEIGHT);
        var page = owner.page();
        page.navigate(ConsoleBrowser.baseUrl() + "/");
        assertThat(page.getByLabel("Workspace")).isFocused();
        page.keyboard().type(api.slug);
        page.keyboard().press("Tab");
        page.keyboard().type("owner");
        page.keyboard().press("Tab");
        page.keyboard().type(Api.DEFAULT_PASSWORD);
        page.keyboard().press("Enter");
        assertThat(page.locator("#link-state")).hasText("Live");
        Locator rowLink = page.locator("[data-chat='" + chatId + "'] a");
        for (int i = 0; i < 30 && !(Boolean) rowLink.evaluate("a => a === document.activeElement"); i++) {
            page.keyboard().press("Tab");
        }
        assertThat(rowLink).isFocused();
        String outline = (String) rowLink.evaluate("a => getComputedStyle(a).outlineStyle");
        assertTrue(!"none".equals(outline), "focused row has a visible outline, got " + outline);
        page.keyboard().press("Enter");
        assertThat(page.locator("[data-chat-view='" + chatId + "'] h2")).isFocused();
        owner.screenshot("10-keyboard-focus.png");
    }

    private static void assertOnlySameOrigin(Person person) {
        String base = ConsoleBrowser.baseUrl();
        String socketBase = base.replaceFirst("^http", "ws");
        for (Request request : person.requests()) {
            assertTrue(request.url().startsWith(base + "/"), person.name() + " requested " + request.url());
        }
        for (String socket : person.sockets()) {
            assertTrue(socket.startsWith(socketBase + "/ws/v1/"), person.name() + " opened " + socket);
        }
        assertTrue(!person.requests().isEmpty(), "requests were recorded");
    }

    private static long scriptAndStyleBytes(Person person) {
        long total = 0;
        for (Request request : person.requests()) {
            String type = request.resourceType();
            if ("script".equals(type) || "stylesheet".equals(type)) {
                total += request.sizes().responseBodySize;
            }
        }
        return total;
    }
}
