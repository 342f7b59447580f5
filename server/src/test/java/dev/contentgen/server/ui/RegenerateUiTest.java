package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.contentgen.api.Artifact;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.server.testing.ScriptedProvider;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A finished job's page offers "Regenerate" on each step: with an instruction it starts a revision,
 * opens it and streams it (the kept steps marked, the regenerated one writing), and the revision
 * history links the versions of the piece.
 */
class RegenerateUiTest extends BrowserTest {
    @Test
    void regeneratingASectionStreamsTheRevisionAndTheHistoryLinksBothVersions() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        // The parent makes calls 1-5 (outline, three sections, summary); the revision's first is its section 2.
        gate = provider.gateCall(6, 20);
        startNode(provider);
        Job parent = api.createJob(Map.of("topic", "Cargo bikes for deliveries", "length", "short"));
        api.fullLog(parent.id());
        Artifact section2 = api.job(parent.id()).artifacts().stream().filter(a -> a.step() == 2).findFirst().orElseThrow();

        Page page = browser.page();
        page.navigate(api.base().resolve("/jobs/" + parent.id()).toString());
        JobScreen ui = new JobScreen(page);
        ui.awaitStatus("completed");
        assertThat(page.locator("#revisions")).isHidden();
        // outline, three sections, summary; not the article
        assertThat(page.locator(".artifact .regenerate")).hasCount(5);
        assertThat(ui.cards("article").locator(".regenerate")).hasCount(0);

        Locator card = ui.cards("section").nth(1);
        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Regenerate " + section2.title())).click();
        page.getByLabel("Instruction for “" + section2.title() + "” (optional)").fill("shorter");
        ui.button("Regenerate section-2").click();

        assertThat(provider.awaitCallGated(6, Duration.ofSeconds(30))).as("the revision's section 2 is being written").isTrue();
        Job revision = api.get("/api/jobs?limit=1").as(JobPage.class).jobs().getFirst();
        assertThat(revision.revision().parentId()).isEqualTo(parent.id());
        assertThat(revision.revision().instruction()).isEqualTo("shorter");
        assertThat(page).hasURL(Pattern.compile(".*/jobs/" + revision.id() + "$"));
        ui.awaitStatus("running");
        // the outline and section 1 kept so far (section 3 comes after the one being written)
        assertThat(page.locator(".artifact[data-reused=true]")).hasCount(2);
        assertThat(ui.cards("section").nth(1)).hasAttribute("data-status", "streaming");
        Locator history = page.locator("#revisions");
        assertThat(history).isVisible();
        assertThat(history.locator("li")).hasCount(2);
        assertThat(history.locator("li").nth(0)).containsText("Original");
        assertThat(history.locator("li").nth(1)).containsText("Revision 1: section-2 — “shorter”");
        assertThat(history.locator("li").nth(1).locator("a")).hasAttribute("aria-current", "page");
        browser.screenshot("regenerating-a-section");

        gate.countDown();
        ui.awaitStatus("completed");
        assertThat(page.locator("#final-source")).hasText(api.job(revision.id()).artifacts().getLast().content());
        assertThat(page.locator(".artifact[data-reused=true]")).hasCount(3);
        // a revision can be regenerated in turn
        assertThat(page.locator(".artifact .regenerate")).hasCount(5);

        history.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(Pattern.compile("^Original"))).click();
        assertThat(page).hasURL(Pattern.compile(".*/jobs/" + parent.id() + "$"));
        ui.awaitStatus("completed");
        assertThat(history.locator("li").nth(0).locator("a")).hasAttribute("aria-current", "page");
        assertThat(ui.cards("section").nth(1).locator(".artifact-text")).containsText(section2.content().strip().substring(0, 30));
    }

    @Test
    void aRefusedRegenerateSaysWhyInTheCard() throws Exception {
        startNode(new ScriptedProvider());
        Job parent = api.createJob(Map.of("topic", "Repair cafés", "length", "short"));
        api.fullLog(parent.id());
        Page page = browser.page();
        page.navigate(api.base().resolve("/jobs/" + parent.id()).toString());
        JobScreen ui = new JobScreen(page);
        ui.awaitStatus("completed");
        Locator outline = ui.cards("outline");
        outline.locator(".regenerate").click();
        page.getByLabel(Pattern.compile("^Instruction for")).fill("shorter");
        // Deleted meanwhile (say, in another tab): the server refuses, and the card says so.
        assertThat(api.delete("/api/jobs/" + parent.id()).status()).isEqualTo(204);
        ui.button("Regenerate outline").click();
        assertThat(outline.locator(".revision-error")).containsText("JOB_NOT_FOUND");
        assertThat(page).hasURL(Pattern.compile(".*/jobs/" + parent.id() + "$"));
    }
}
