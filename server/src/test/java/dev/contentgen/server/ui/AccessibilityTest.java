package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.testing.Accessibility;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: axe-core's WCAG 2.1 AA rules find no serious or critical violation in any state of
 * the page: empty, a job running, done, failed, cancelled, the sign-in page and the filtered list; in the
 * light and the dark colour scheme, where the colours differ. Heading levels never skip either
 * (axe's heading-order), also when the model's text brings headings of its own.
 */
class AccessibilityTest extends BrowserTest {

    @Test
    void theEmptyStartPage() {
        startNode(new ScriptedProvider());
        Page page = openHome();
        assertThat(page.locator("#format option").first()).isAttached();
        checkBothSchemes(page, "the empty start page");
    }

    @Test
    void aRunningJob() {
        ScriptedProvider provider = new ScriptedProvider();
        gate = provider.gateAt("section", 30);
        startNode(provider);
        Page page = openHome();
        JobScreen ui = new JobScreen(page);
        ui.generate("Accessible streaming pages", "short");
        ui.awaitStreaming("section");
        ui.awaitStatus("running");
        checkBothSchemes(page, "a running job");
    }

    @Test
    void aFinishedJob() {
        startNode(new ScriptedProvider());
        Page page = openHome();
        JobScreen ui = new JobScreen(page);
        ui.generate("Accessible finished pages", "short");
        ui.awaitStatus("completed");
        assertThat(page.locator("#final-article")).isVisible();
        checkBothSchemes(page, "a finished job");
    }

    @Test
    void aFinishedJobWhoseModelWritesHeadingsOfItsOwn() {
        // A top-level heading and a deep one inside a step, as models write them: nested under the step's title.
        startNode(new ScriptedProvider().appendAt("section", "\n\n# A heading of its own\n\nText.\n\n#### And a deep one\n\nMore.\n"));
        Page page = openHome();
        JobScreen ui = new JobScreen(page);
        ui.generate("Headings in model text", "short");
        ui.awaitStatus("completed");
        assertThat(page.locator(".artifact[data-kind=section] [data-md-level=\"1\"]").first()).hasText("A heading of its own");
        assertThat(page.locator(".artifact[data-kind=section] h5").first()).hasText("A heading of its own");
        checkBothSchemes(page, "a finished job with the model's own headings");
    }

    @Test
    void aFailedJob() {
        startNode(new ScriptedProvider().failAt("section", "the model refused"));
        Page page = openHome();
        JobScreen ui = new JobScreen(page);
        ui.generate("Accessible failures", "short");
        ui.awaitStatus("failed");
        assertThat(page.locator("#job-error")).isVisible();
        checkBothSchemes(page, "a failed job");
    }

    @Test
    void aCancelledJob() {
        startNode(new ScriptedProvider().pace(java.time.Duration.ofMillis(20)));
        Page page = openHome();
        JobScreen ui = new JobScreen(page);
        ui.generate("Accessible cancellations", "medium");
        ui.awaitStreaming("section");
        ui.button("Cancel").click();
        ui.awaitStatus("cancelled");
        assertThat(page.locator("#notice")).containsText("cancelled");
        checkBothSchemes(page, "a cancelled job");
    }

    @Test
    void theSignInPage() {
        startNode(new ScriptedProvider(), TestNodes.config(dir).withAuth(AccessMode.Setting.KEYS));
        Page page = openHome();
        assertThat(page.getByLabel("API key")).isVisible();
        checkBothSchemes(page, "the sign-in page");
    }

    @Test
    void theFilteredList() {
        startNode(new ScriptedProvider());
        api.createJob("Gardening in small spaces");
        api.createJob("Rust for Java developers");
        Page page = openHome();
        page.getByLabel("Search jobs").fill("rust");
        assertThat(page.locator("#history li")).hasCount(1);
        page.getByLabel("Status", new Page.GetByLabelOptions().setExact(true)).selectOption("failed");
        assertThat(page.locator("#history-empty")).isVisible();
        checkBothSchemes(page, "the list filtered to nothing");
        page.getByLabel("Status", new Page.GetByLabelOptions().setExact(true)).selectOption("");
        assertThat(page.locator("#history li")).hasCount(1);
        checkBothSchemes(page, "the list filtered");
    }

    private static void checkBothSchemes(Page page, String state) {
        for (var scheme : new com.microsoft.playwright.options.ColorScheme[] {
                com.microsoft.playwright.options.ColorScheme.LIGHT, com.microsoft.playwright.options.ColorScheme.DARK}) {
            page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(scheme));
            Accessibility.assertNoSeriousViolations(page, state + " (" + scheme.name().toLowerCase() + ")");
        }
        Accessibility.assertHeadingsNeverSkip(page, state);
    }
}
