package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/** The web UI as a person uses it: the form, the job view and its parts, found by label and role where they have one. */
record JobScreen(Page page) {

    /** Fills the form (topic and length; the rest stay at their defaults) and presses Generate. */
    void generate(String topic, String length) {
        page.getByLabel("Topic").fill(topic);
        page.getByLabel("Length").selectOption(length);
        button("Generate").click();
    }

    Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    Locator status() {
        return page.locator("#job-status");
    }

    Locator connection() {
        return page.locator("#connection-box");
    }

    Locator cards(String kind) {
        return page.locator(".artifact[data-kind=" + kind + "]");
    }

    /** Waits until some artifact of {@code kind} is being written. */
    void awaitStreaming(String kind) {
        assertThat(page.locator(".artifact[data-kind=" + kind + "][data-status=streaming]").first()).isVisible();
    }

    /** Waits until the job on screen shows {@code status}. */
    void awaitStatus(String status) {
        assertThat(status()).hasText(status);
    }

    /** The id of the job on screen, from the page's address (/jobs/{id}). */
    String jobId() {
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/jobs/[^/]+$"));
        return page.url().substring(page.url().lastIndexOf('/') + 1);
    }

    boolean progressIsFull() {
        return (Boolean) page.evaluate("() => { const p = document.querySelector('#progress'); return p.value === p.max; }");
    }
}
