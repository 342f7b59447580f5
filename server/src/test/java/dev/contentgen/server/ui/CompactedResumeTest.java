package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.contentgen.api.Artifact;
import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.RetentionPolicy;
import dev.contentgen.server.store.Retention;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 14: a page that reconnects into a range retention compacted gets a snapshot and shows the same article. */
class CompactedResumeTest extends BrowserTest {

    @Test
    void aPageThatReconnectsIntoACompactedRangeShowsTheSameArticle() throws IOException {
        int port = freePort();
        startNode(new ScriptedProvider().pace(Duration.ofMillis(15)), TestNodes.config(dir).withPort(port));
        Page page = openHome();
        JobScreen ui = new JobScreen(page);
        ui.generate("Reconnecting into a compacted log", "short");
        ui.awaitStreaming("section");
        String id = ui.jobId();

        // The page loses its server mid-section: its last id is a delta, which compaction will drop.
        node.close();
        assertThat(ui.connection()).hasAttribute("data-state", "reconnecting");
        // Meanwhile, on an address the page does not know, the job finishes and is compacted.
        node = new Node(TestNodes.config(dir)).provider(new ScriptedProvider().pace(Duration.ofMillis(1))).start();
        Api elsewhere = new Api(TestNodes.uri(node));
        elsewhere.fullLog(id);
        Retention.Pass pass = new Retention(node.database().jdbi(), node.database().dialect(),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), node.store()).run(RetentionPolicy.defaults());
        assertThat(pass.compacted()).isEqualTo(1);
        node.close();

        // Back on the page's address: EventSource reconnects with its Last-Event-ID, inside the compacted range.
        node = new Node(TestNodes.config(dir).withPort(port).withWorkers(0)).start();
        ui.awaitStatus("completed");
        Job job = new Api(TestNodes.uri(node)).job(id);
        List<Artifact> completed = job.artifacts().stream().filter(a -> a.status() == ArtifactStatus.COMPLETED).toList();
        String article = completed.getLast().content();
        assertThat(page.locator(".artifact[data-status=completed]")).hasCount(completed.size());
        assertThat(page.locator(".artifact[data-status=streaming]")).hasCount(0);
        assertThat(page.locator(".artifact[data-status=discarded]"))
                .hasCount((int) job.artifacts().stream().filter(a -> a.status() == ArtifactStatus.DISCARDED).count());
        ui.button("Show Markdown").click();
        assertThat(page.locator("#final-source").textContent()).isEqualTo(article);
        ui.button("Show rendered").click();
        List<String> headings = article.lines().filter(l -> l.startsWith("## ")).map(l -> l.substring(3).strip()).toList();
        assertThat(page.locator("#final-rendered [data-md-level=\"2\"]")).hasText(headings.toArray(String[]::new));
        browser.screenshot("reconnected-into-compacted-range");

        // A fresh page on the compacted job (after=0, so a snapshot from the start) shows the very same.
        Page fresh = browser.page();
        fresh.navigate(api.base().resolve("/jobs/" + id).toString());
        new JobScreen(fresh).awaitStatus("completed");
        assertThat(fresh.locator(".artifact[data-status=completed]")).hasCount(completed.size());
        assertThat(fresh.locator("#final-source").textContent()).isEqualTo(article);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
