package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.contentgen.api.Artifact;
import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.Job;
import dev.contentgen.server.testing.ScriptedProvider;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 6: leave and come back — the history updates live, and a job's link shows it as far as it got, then live. */
class HistoryAndLinksTest extends BrowserTest {
    @Test
    void theHistoryShowsJobsCreatedElsewhereAndTheirStatusChangesWithoutAReload() {
        startNode(new ScriptedProvider().pace(Duration.ofMillis(5)));
        Page page = browser.page();
        page.navigate(api.base().toString());
        assertThat(page.locator("#history-empty")).hasText("No jobs yet.");
        page.evaluate("window.sameDocument = true");

        Job first = api.createJob(Map.of("topic", "Written by a colleague", "length", "short"));
        Locator item = page.locator("#history li[data-job-id='" + first.id() + "']");
        assertThat(item).containsText("Written by a colleague");
        assertThat(item.locator(".badge")).hasText("completed");
        Job second = api.createJob(Map.of("topic", "A second one", "length", "short"));
        assertThat(page.locator("#history li").first()).hasAttribute("data-job-id", second.id());
        assertThat(page.locator("#history li[data-job-id='" + second.id() + "'] .badge")).hasText("completed");
        assertThat(page.evaluate("window.sameDocument")).as("no reload").isEqualTo(true);

        item.getByRole(com.microsoft.playwright.options.AriaRole.LINK).click();
        assertThat(page).hasURL(Pattern.compile(".*/jobs/" + first.id() + "$"));
        assertThat(page.locator("#job-topic")).hasText("Written by a colleague");
        assertThat(page.locator("#job-topic")).isFocused();
        assertThat(item.locator("a")).hasAttribute("aria-current", "page");
        new JobScreen(page).awaitStatus("completed");
        assertThat(page.locator("#final-source")).hasText(api.job(first.id()).artifacts().getLast().content());
        assertThat(page.evaluate("window.sameDocument")).as("opening from history keeps the page").isEqualTo(true);
    }

    @Test
    void openingAJobsLinkMidRunShowsItAsFarAsItGotAndThenContinuesLive() throws InterruptedException {
        ScriptedProvider provider = new ScriptedProvider().pace(Duration.ofMillis(10));
        gate = provider.gateAt("section", 25);
        startNode(provider);
        Job job = api.createJob(Map.of("topic", "Shared while running", "length", "short"));
        assertThat(provider.awaitGateReached(Duration.ofSeconds(30))).as("the section reached its gate").isTrue();

        Page page = browser.page();
        page.navigate(api.base().resolve("/jobs/" + job.id()).toString());
        JobScreen ui = new JobScreen(page);
        assertThat(page.locator("#job-topic")).hasText("Shared while running");
        ui.awaitStatus("running");
        assertThat(ui.cards("outline")).hasAttribute("data-status", "completed");
        Locator section = ui.cards("section");
        assertThat(section).hasCount(1);
        assertThat(section).hasAttribute("data-status", "streaming");
        assertThat(page.locator("#progress-label")).containsText("Step 2 of 6");
        // The gate holds the section after its 25th token: the page shows exactly what the log has.
        Artifact partial = api.job(job.id()).artifacts().stream()
                .filter(a -> a.status() == ArtifactStatus.STREAMING).findFirst().orElseThrow();
        assertThat(section.locator(".artifact-text")).hasText(partial.content().strip());
        browser.screenshot("opened-by-link-mid-run");

        gate.countDown();
        ui.awaitStatus("completed");
        assertThat(ui.cards("section")).hasCount(3);
        assertThat(page.locator(".artifact[data-status=completed]")).hasCount(api.job(job.id()).artifacts().size());
        assertThat(page.locator("#final-source")).hasText(api.job(job.id()).artifacts().getLast().content());
    }
}
