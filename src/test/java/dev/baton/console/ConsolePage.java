package dev.baton.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.util.List;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import dev.baton.support.Api;

/** What a person does in the console, by the labels and names they see (which also checks that controls are labelled). */
final class ConsolePage {

    final Page page;

    ConsolePage(Page page) {
        this.page = page;
    }

    ConsolePage signIn(String workspace, String username) {
        page.navigate(ConsoleBrowser.baseUrl() + "/");
        page.getByLabel("Workspace").fill(workspace);
        page.getByLabel("Username").fill(username);
        page.getByLabel("Password").fill(Api.DEFAULT_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.locator("#link-state")).hasText("Live");
        return this;
    }

    /** Goes to a page of the header's navigation; the page's heading takes focus. */
    ConsolePage nav(String name) {
        page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(name).setExact(true)).click();
        assertThat(page.locator("main h1")).hasText(name);
        assertThat(page.locator("main h1")).isFocused();
        return this;
    }

    ConsolePage tab(String id) {
        page.locator("a[data-tab=" + id + "]").click();
        assertThat(page.locator("a[data-tab=" + id + "]")).hasAttribute("aria-current", "page");
        return this;
    }

    Locator row(String chatId) {
        return page.locator("[data-chat='" + chatId + "']");
    }

    Locator open(String chatId) {
        row(chatId).locator("a").click();
        Locator view = view(chatId);
        assertThat(view.locator("[data-holder]")).not().isEmpty();
        return view;
    }

    Locator view(String chatId) {
        return page.locator("[data-chat-view='" + chatId + "']");
    }

    static Locator button(Locator scope, String name) {
        return scope.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name).setExact(true));
    }

    static Locator composer(Locator view) {
        return view.getByLabel("Reply to customer");
    }

    static void reply(Locator view, String text) {
        composer(view).fill(text);
        button(view, "Send").click();
        assertThat(entries(view).filter(new Locator.FilterOptions().setHasText(text))).hasCount(1);
    }

    static Locator entries(Locator view) {
        return view.locator("ol.timeline > li");
    }

    /** The seqs the page shows, in page order. */
    static List<Long> seqs(Locator view) {
        return entries(view).all().stream().map(li -> Long.parseLong(li.getAttribute("data-seq"))).toList();
    }
}
