package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.contentgen.api.Artifact;
import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6: when things go wrong the page says what and what to do; retrying a stream never creates a job. */
class TroubleTest extends BrowserTest {
    @TempDir
    Path otherDir;

    Page start(ScriptedProvider provider, int port) {
        startNode(provider, TestNodes.config(dir).withPort(port));
        return openHome();
    }

    @Test
    void aFailedJobShowsItsCodeAndMessageAndRetryCreatesExactlyOneNewJobWithTheSameInputs() {
        Page page = start(new ScriptedProvider().failAt("section", "the model refused: quota exhausted"), 0);
        JobScreen ui = new JobScreen(page);
        page.getByLabel("Audience").fill("support leads");
        ui.generate("Quota trouble", "short");

        ui.awaitStatus("failed");
        assertThat(page.locator("#job-error")).isVisible();
        assertThat(page.locator("#job-error-code")).hasText("GENERATION_FAILED");
        assertThat(page.locator("#job-error-message")).containsText("the model refused: quota exhausted");
        assertThat(ui.button("Cancel")).isHidden();
        String failedId = ui.jobId();
        browser.screenshot("failed");

        ui.button("Retry").dblclick();
        assertThat(page).not().hasURL(Pattern.compile(".*/jobs/" + failedId + "$"));
        String retryId = ui.jobId();
        ui.awaitStatus("failed");

        List<Job> jobs = api.get("/api/jobs").as(JobPage.class).jobs();
        assertThat(jobs).extracting(Job::id).containsExactly(retryId, failedId);
        Job first = jobs.get(1);
        Job retry = jobs.get(0);
        assertThat(List.of(retry.topic(), retry.format(), retry.tone(), retry.length(), retry.audience()))
                .isEqualTo(List.of(first.topic(), first.format(), first.tone(), first.length(), first.audience()));
        assertThat(retry.audience()).isEqualTo("support leads");
    }

    @Test
    void cancellingWhileRunningEndsTheJobCancelledAndSaysSo() {
        Page page = start(new ScriptedProvider().pace(Duration.ofMillis(20)), 0);
        JobScreen ui = new JobScreen(page);
        ui.generate("A job to stop", "medium");
        ui.awaitStreaming("section");

        ui.button("Cancel").click();

        ui.awaitStatus("cancelled");
        assertThat(page.locator("#notice")).containsText("cancelled");
        assertThat(page.locator("#progress-label")).hasText("Cancelled");
        assertThat(ui.button("Cancel")).isHidden();
        assertThat(page.locator(".artifact[data-status=streaming]")).hasCount(0);
        assertThat(page.locator("#final-article")).isHidden();
        assertThat(api.job(ui.jobId()).status()).isEqualTo(JobStatus.CANCELLED);
        browser.screenshot("cancelled");
    }

    @Test
    void aSilentModelShowsStillWorkingUntilTokensFlowAgain() {
        browser.page().addInitScript("window.contentgenSlowAfterMs = 300");
        Page page = start(new ScriptedProvider().silentBefore("summary", Duration.ofSeconds(3)), 0);
        JobScreen ui = new JobScreen(page);
        ui.generate("A slow model", "short");

        assertThat(page.locator("#notice")).hasText(Pattern.compile("^Still working — the model is slow"));
        browser.screenshot("slow");
        ui.awaitStatus("completed");
        assertThat(page.locator("#notice")).isEmpty();
    }

    @Test
    void restartedMidJobThePageReconnectsByItselfAndEndsWithTheWholeArticleEverySectionOnce() throws IOException {
        int port = freePort();
        Page page = start(new ScriptedProvider().pace(Duration.ofMillis(15)), port);
        JobScreen ui = new JobScreen(page);
        ui.generate("Deploys that do not lose work", "short");
        ui.awaitStreaming("section");
        String id = ui.jobId();

        node.close();
        assertThat(ui.connection()).hasAttribute("data-state", "reconnecting");
        assertThat(page.locator("#connection")).containsText("reconnecting");
        assertThat(page.locator("#notice")).containsText("The server is restarting");
        browser.screenshot("reconnecting");

        node = new Node(TestNodes.config(dir).withPort(port)).provider(new ScriptedProvider().pace(Duration.ofMillis(2))).start();
        ui.awaitStatus("completed");
        assertThat(page.locator("#connection")).hasText("closed");

        Job job = api.job(id);
        List<Artifact> completed = job.artifacts().stream().filter(a -> a.status() == ArtifactStatus.COMPLETED).toList();
        String article = completed.getLast().content();
        assertThat(page.locator(".artifact[data-status=completed]")).hasCount(completed.size());
        assertThat(page.locator(".artifact[data-status=discarded]"))
                .hasCount((int) job.artifacts().stream().filter(a -> a.status() == ArtifactStatus.DISCARDED).count());
        ui.button("Show Markdown").click();
        assertThat(page.locator("#final-source").textContent()).isEqualTo(article);
        List<String> headings = article.lines().filter(l -> l.startsWith("## ")).map(l -> l.substring(3).strip()).toList();
        assertThat(headings).doesNotHaveDuplicates();
        ui.button("Show rendered").click();
        assertThat(page.locator("#final-rendered [data-md-level=\"2\"]")).hasText(headings.toArray(String[]::new));
        assertThat(api.get("/api/jobs").as(JobPage.class).jobs()).hasSize(1);
    }

    @Test
    void aStreamTheServerClosesForGoodOffersARetryThatResumesAndNeverCreatesAJob() throws IOException {
        int port = freePort();
        Page page = start(new ScriptedProvider().pace(Duration.ofMillis(15)), port);
        JobScreen ui = new JobScreen(page);
        ui.generate("Streams that end", "short");
        assertThat(page.locator(".artifact[data-status=streaming]").first()).isVisible();
        String id = ui.jobId();

        // Another server on the same address that has never heard of the job: EventSource gets a 404 and gives up.
        node.close();
        node = new Node(TestNodes.config(otherDir).withPort(port)).start();
        assertThat(ui.connection()).hasAttribute("data-state", "closed");
        assertThat(page.locator("#connection-detail")).containsText("Connection closed by server");
        browser.screenshot("closed-by-server");

        node.close();
        node = new Node(TestNodes.config(dir).withPort(port)).provider(new ScriptedProvider()).start();
        ui.button("Retry connection").click();
        ui.awaitStatus("completed");
        assertThat(page).hasURL(Pattern.compile(".*/jobs/" + id + "$"));
        assertThat(api.get("/api/jobs").as(JobPage.class).jobs()).extracting(Job::id).containsExactly(id);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
