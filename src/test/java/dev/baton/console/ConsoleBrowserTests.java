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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
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
            assertSameOriginAndNoFaults(person);
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
        assertSameOriginAndNoFaults(person);
    }

    @Test
    void shouldManageAgentsFromTheAdminPage() {
        Api api = Api.signUp();
        Person owner = browser.person("owner", LAPTOP_WIDTH, LAPTOP_HEIGHT);
        ConsolePage ui = new ConsolePage(owner.page()).signIn(api.slug, "owner");
        ui.nav("Agents");
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
        assertSameOriginAndNoFaults(owner);
        ui.page.close();
    }

    /** Each admin page with one real change, checked through the API. */
    @Test
    void shouldRunTheWorkspaceFromTheAdminPages() {
        Api api = Api.signUp();
        Staff agent = api.createAgent("nightowl", "AGENT");
        String firstPhone = Api.randomPhone();
        String first = api.inbound(firstPhone, "anyone there?", true).then().statusCode(201).extract().path("chatId");
        Person owner = browser.person("owner", LAPTOP_WIDTH, LAPTOP_HEIGHT);
        ConsolePage ui = new ConsolePage(owner.page()).signIn(api.slug, "owner");
        Page page = owner.page();

        // Queue: the waiting chat, and a new one joining live.
        ui.nav("Queue");
        assertThat(page.locator("tr[data-queued='" + first + "'] td").first()).hasText("1");
        assertThat(page.locator("tr[data-queued='" + first + "']")).containsText(firstPhone);
        String second = api.inbound(Api.randomPhone(), "hello?", true).then().statusCode(201).extract().path("chatId");
        assertThat(page.locator("tr[data-queued='" + second + "'] td").first()).hasText("2");
        assertEquals(List.of(first, second), api.owner.as().get("/api/v1/queue").then().statusCode(200).extract().path("items.chat.id"));
        owner.screenshot("15-admin-queue.png");

        // Teams: create one and give it a member.
        ui.nav("Teams");
        Locator teamForm = page.locator("form.create");
        teamForm.getByLabel("Team name").fill("Night shift");
        button(teamForm, "Create team").click();
        Locator team = page.locator("tr[data-team='Night shift']");
        team.getByLabel("nightowl").check();
        button(team, "Save members of Night shift").click();
        assertThat(page.locator("tr[data-team='Night shift'] td").nth(1)).hasText("nightowl");
        owner.screenshot("16-admin-teams.png");
        api.owner.as().get("/api/v1/teams").then().statusCode(200)
                .body("find { it.name == 'Night shift' }.memberIds", org.hamcrest.Matchers.contains(agent.id()));

        // Channels: connect a WhatsApp number; its sends list is there (empty).
        ui.nav("Channels");
        Locator channelForm = page.locator("form.create");
        channelForm.getByLabel("Name").fill("Support line");
        channelForm.getByLabel("Phone number id").fill("106540352242922");
        channelForm.getByLabel("Access token").fill("EAAG-console-test-token");
        channelForm.getByLabel("App secret").fill("console-test-app-secret");
        button(channelForm, "Create channel").click();
        assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("Created Support line")))
                .containsText("/api/v1/webhooks/whatsapp/");
        button(page.locator("tr[data-channel='Support line']"), "Sends of Support line").click();
        assertThat(page.locator(".detail")).containsText("Nothing sent yet.");
        owner.screenshot("17-admin-channels.png");
        api.owner.as().get("/api/v1/channels").then().statusCode(200)
                .body("name", org.hamcrest.Matchers.contains("Support line"))
                .body("phoneNumberId", org.hamcrest.Matchers.contains("106540352242922"));

        // Webhooks: an endpoint nobody listens on, its failed delivery in the log, a replay, a secret rotation.
        ui.nav("Webhooks");
        String url = "http://127.0.0.1:9/baton-hook";
        Locator hookForm = page.locator("form.create");
        hookForm.getByLabel("URL").fill(url);
        hookForm.getByLabel("message.created").check();
        button(hookForm, "Create endpoint").click();
        Locator secret = page.locator(".secret code");
        assertThat(secret).hasText(Pattern.compile("^whsec_.{40,}"));
        String firstSecret = secret.textContent();
        String hookId = api.owner.as().get("/api/v1/webhooks").then().statusCode(200)
                .body("url", org.hamcrest.Matchers.contains(url))
                .body("[0].events", org.hamcrest.Matchers.contains("message.created")).extract().path("[0].id");
        api.inbound(firstPhone, "still waiting", true).then().statusCode(201);
        List<String> statuses = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> api.owner.as()
                .get("/api/v1/webhooks/" + hookId + "/deliveries").then().statusCode(200).extract().<List<String>>path("items.status"),
                found -> !found.isEmpty() && found.get(0).equals("FAILED"));
        Locator hook = page.locator("tr[data-webhook='" + url + "']");
        button(hook, "Deliveries of " + url).click();
        Locator delivery = page.locator(".detail tr[data-delivery]");
        assertThat(delivery).hasCount(statuses.size());
        assertThat(delivery.first()).containsText("failed");
        delivery = delivery.first();
        button(delivery, "Replay message.created").click();
        assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("queued to be delivered again")))
                .isVisible();
        owner.screenshot("18-admin-webhooks.png");
        button(hook, "Rotate secret of " + url).click();
        assertThat(secret).not().hasText(firstSecret);
        assertThat(page.locator(".secret")).containsText("the previous secret also signs until");
        api.owner.as().get("/api/v1/webhooks/" + hookId).then().statusCode(200)
                .body("previousSecretUntil", org.hamcrest.Matchers.notNullValue());

        // Routing last: any mode but manual starts assigning the queue to whoever is online.
        ui.nav("Routing");
        Locator routingForm = page.locator("form.create");
        routingForm.getByLabel("Mode").selectOption("LEAST_LOADED");
        routingForm.getByLabel(Pattern.compile("^Default max chats")).fill("3");
        routingForm.getByLabel(Pattern.compile("^No-reply timeout")).fill("PT5M");
        button(routingForm, "Save routing").click();
        assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("Routing: least loaded"))).isVisible();
        owner.screenshot("19-admin-routing.png");
        api.owner.as().get("/api/v1/routing").then().statusCode(200)
                .body("mode", org.hamcrest.Matchers.equalTo("LEAST_LOADED"))
                .body("defaultMaxChats", org.hamcrest.Matchers.equalTo(3))
                .body("noReplyTimeout", org.hamcrest.Matchers.equalTo("PT5M"));
        assertSameOriginAndNoFaults(owner);
    }

    /** Warm transfer: the holder offers, the target declines once, then accepts; custody and composers follow live. */
    @Test
    void shouldHandOverThroughAnOfferTheTargetAnswers() {
        Api api = Api.signUp();
        Staff demo = api.createAgent("demoag3576", "AGENT");
        Staff kamlakshi = api.createAgent("Kamlakshi_demo_account", "AGENT");
        String phone = Api.randomPhone();
        String chatId = api.inbound(phone, "I need to change my delivery address", true).then().statusCode(201).extract().path("chatId");
        Api.act(demo, chatId, "intervene").then().statusCode(200);

        Person demoBrowser = browser.person("demoag3576", LAPTOP_WIDTH, LAPTOP_HEIGHT);
        Person kamlakshiBrowser = browser.person("Kamlakshi", PHONE_WIDTH, PHONE_HEIGHT);
        Locator demoView = new ConsolePage(demoBrowser.page()).signIn(api.slug, "demoag3576").tab("mine").open(chatId);
        new ConsolePage(kamlakshiBrowser.page()).signIn(api.slug, "Kamlakshi_demo_account");
        Locator tray = kamlakshiBrowser.page().locator("#offers");
        Locator offerState = demoView.locator(".offer-state [role=status]");

        offer(demoView, kamlakshi, "Address change, she knows the courier");
        assertThat(offerState).containsText("demoag3576 offered this chat to Kamlakshi_demo_account; waiting for an answer");
        Locator offered = tray.locator("li[data-offer]");
        assertThat(offered).hasCount(1);
        assertThat(offered).containsText("demoag3576 offers you the chat with Customer " + phone);
        assertThat(offered).containsText("Address change, she knows the courier");
        demoBrowser.screenshot("11-offer-pending-offerer.png");
        kamlakshiBrowser.screenshot("12-offer-received-phone.png");
        offered.getByLabel("Decline reason").fill("On a call, sorry");
        button(offered, "Decline").click();
        assertThat(tray).isHidden();
        assertThat(offerState).hasText("Kamlakshi_demo_account declined the offer: On a call, sorry");
        assertThat(composer(demoView)).isEnabled();
        assertEquals(demo.id(), Api.chat(demo, chatId).then().extract().path("holder.id"), "a declined offer leaves custody alone");

        offer(demoView, kamlakshi, "Second try: the courier is on the line");
        assertThat(offered).containsText("Second try");
        button(offered, "Accept").click();
        assertThat(composer(demoView)).isDisabled();
        assertThat(demoView.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions()
                .setHasText("Kamlakshi_demo_account accepted the offer and holds this chat now"))).isVisible();
        Locator kamlakshiView = new ConsolePage(kamlakshiBrowser.page()).view(chatId);
        assertThat(kamlakshiView.locator("[data-holder]")).hasText("intervened by Kamlakshi_demo_account");
        assertThat(kamlakshiBrowser.page().locator("a[data-tab=mine]")).hasAttribute("aria-current", "page");
        assertThat(composer(kamlakshiView)).isEnabled();
        assertThat(entries(kamlakshiView).filter(new Locator.FilterOptions().setHasText("courier is on the line"))).hasCount(1);
        reply(kamlakshiView, "Hi, I can change the address for you");
        demoBrowser.screenshot("13-offer-accepted-offerer-locked.png");
        kamlakshiBrowser.screenshot("14-offer-accepted-target-phone.png");

        Api.chat(kamlakshi, chatId).then().statusCode(200).body("holder.id", org.hamcrest.Matchers.equalTo(kamlakshi.id()));
        List<Map<String, Object>> custody = Api.custody(kamlakshi, chatId);
        Map<?, ?> handOver = (Map<?, ?>) custody.get(custody.size() - 1).get("custody");
        assertEquals("TRANSFER", handOver.get("action"));
        assertTrue(handOver.get("offerId") != null, "the hand-over is the accepted offer's: " + handOver);
        kamlakshi.as().get("/api/v1/chats/" + chatId + "/offers").then().statusCode(200)
                .body("items.status", org.hamcrest.Matchers.contains("ACCEPTED", "DECLINED"));
        assertSameOriginAndNoFaults(demoBrowser);
        assertSameOriginAndNoFaults(kamlakshiBrowser);
    }

    private static void offer(Locator view, Staff to, String note) {
        Locator target = view.getByLabel("Transfer to");
        target.focus();
        assertThat(target.locator("option[value='" + to.id() + "']")).hasText(to.username() + " — online · 0 chats");
        target.selectOption(to.id());
        view.getByLabel("Transfer note").fill(note);
        button(view, "Offer").click();
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
        assertSameOriginAndNoFaults(owner);
    }

    private static void assertSameOriginAndNoFaults(Person person) {
        String base = ConsoleBrowser.baseUrl();
        String socketBase = base.replaceFirst("^http", "ws");
        for (Request request : person.requests()) {
            assertTrue(request.url().startsWith(base + "/"), person.name() + " requested " + request.url());
        }
        for (String socket : person.sockets()) {
            assertTrue(socket.startsWith(socketBase + "/ws/v1/"), person.name() + " opened " + socket);
        }
        assertTrue(!person.requests().isEmpty(), "requests were recorded");
        assertEquals(List.of(), person.faults(), person.name() + "'s page had script errors or CSP refusals");
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
