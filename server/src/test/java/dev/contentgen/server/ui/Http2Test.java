package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.BrowserExtension;
import dev.contentgen.server.testing.LogCapture;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestCertificate;
import dev.contentgen.server.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: over HTTP/1.1 Chromium holds at most six connections per host, so a seventh tab on a
 * running job never loads. With TLS on the node Chromium negotiates HTTP/2 and every tab's stream
 * shares one connection: eight tabs all go live and all complete.
 */
class Http2Test {
    private static final int TABS = 8;

    /** The test certificate is self-signed: this browser, and only this one, accepts it. */
    @RegisterExtension
    static BrowserExtension browser = new BrowserExtension(List.of("--ignore-certificate-errors"));

    @TempDir
    Path dir;
    Node node;
    CountDownLatch gate;
    LogCapture logs;

    @Test
    void eightTabsOnRunningJobsAllGoLiveOverHttp2AndAllComplete() throws Exception {
        TestCertificate cert = TestCertificate.create(dir.resolve("tls"), "node");
        ScriptedProvider provider = new ScriptedProvider().pace(Duration.ofMillis(1));
        // Every job stops at its first section until the test opens the gate: all eight run at once.
        gate = provider.gateAt("section", 20);
        logs = new LogCapture();
        node = new Node(TestNodes.config(dir.resolve("data")).withTls(cert.files()).withWorkers(TABS)).provider(provider).start();
        URI base = URI.create("https://127.0.0.1:" + node.port());
        Api api = new Api(base, HttpClient.newBuilder().sslContext(cert.trustingContext()).build());
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < TABS; i++) {
            jobs.add(api.createJob(Map.of("topic", "Tab " + i, "length", "short")));
        }

        Page first = browser.page();
        // Each tab on its own stream, as in a browser without SharedWorker: HTTP/2 carries all eight on one connection.
        first.context().addInitScript("delete window.SharedWorker");
        List<JobScreen> tabs = new ArrayList<>();
        for (Job job : jobs) {
            Page page = tabs.isEmpty() ? first : first.context().newPage();
            page.navigate(base.resolve("/jobs/" + job.id()).toString());
            tabs.add(new JobScreen(page));
        }
        for (JobScreen tab : tabs) {
            assertThat(tab.page().evaluate("performance.getEntriesByType('navigation')[0].nextHopProtocol")).isEqualTo("h2");
            tab.awaitStreaming("section");
            assertThat(tab.page().locator("#connection")).hasText("live");
        }
        browser.screenshot("http2-eighth-tab-live");

        gate.countDown();
        for (JobScreen tab : tabs) {
            tab.awaitStatus("completed");
            assertThat(tab.progressIsFull()).as("progress bar full").isTrue();
        }
        // The stream itself came over HTTP/2 too, not just the page.
        Object streamProtocols = first.evaluate("performance.getEntriesByType('resource').filter(e => e.name.includes('/events'))"
                + ".map(e => e.nextHopProtocol)");
        assertThat((List<?>) streamProtocols).isNotEmpty().allMatch("h2"::equals);
        // Each tab closed its EventSource at the end, resetting its HTTP/2 stream: the node took that in its stride.
        assertThat(logs.lines()).noneMatch(l -> l.contains("Uncaught exception") || l.contains("threw an error"));
    }

    @AfterEach
    void stopNode() {
        if (gate != null) {
            gate.countDown();
        }
        if (node != null) {
            node.close();
        }
        if (logs != null) {
            logs.close();
        }
    }
}
