package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.contentgen.api.Artifact;
import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.Job;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.config.Limits;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.stream.StreamReport;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: every tab of the web UI shares one connection (a SharedWorker holds one multiplexed
 * stream for all the jobs the tabs watch), so ten tabs on ten running jobs are all live, the API
 * still answers from each of them, the node sees one stream, and closing tabs or restarting the
 * node loses nothing and doubles nothing. The recent-jobs list is live from the same stream.
 */
class ManyTabsTest extends BrowserTest {
    private static final int TABS = 10;
    /** Pages' own requests to a stream route (the shared worker's are not theirs). */
    private final List<String> tabStreamRequests = new CopyOnWriteArrayList<>();

    /** A node that runs all ten jobs at once; every job's first section is held after 25 tokens until the test opens {@link #gate}. */
    private ScriptedProvider gatedNode(Config config) {
        ScriptedProvider provider = new ScriptedProvider().pace(Duration.ofMillis(3));
        gate = provider.gateAt("section", 25);
        startNode(provider, config.withWorkers(TABS));
        return provider;
    }

    private List<Job> createJobs(int n) {
        return IntStream.rangeClosed(1, n)
                .mapToObj(i -> api.createJob(Map.of("topic", "Tab number " + i, "length", "short"))).toList();
    }

    /** One tab per job, all in one browser context: the first is the test's page, the others new tabs of it. */
    private List<Page> openTabs(List<Job> jobs) {
        List<Page> tabs = new ArrayList<>();
        for (Job job : jobs) {
            Page tab = tabs.isEmpty() ? browser.page() : browser.newPage();
            tab.onRequest(r -> {
                if (r.url().contains("/events")) {
                    tabStreamRequests.add(r.url());
                }
            });
            tab.navigate(api.base().resolve("/jobs/" + job.id()).toString());
            tabs.add(tab);
        }
        return tabs;
    }

    /** Every tab is live on its running job, mid-section, and shows exactly the text the log has so far. */
    private void awaitAllLiveAtTheGate(List<Page> tabs, List<Job> jobs) {
        for (int i = 0; i < tabs.size(); i++) {
            JobScreen ui = new JobScreen(tabs.get(i));
            assertThat(tabs.get(i).locator("#job-topic")).hasText(jobs.get(i).topic());
            ui.awaitStatus("running");
            assertThat(tabs.get(i).locator("#connection")).hasText("live");
            showsExactlyTheLogSoFar(tabs.get(i), jobs.get(i).id());
        }
    }

    /**
     * The gate holds the job's section: once the stored text has reached it, the tab shows exactly that text
     * (an event lost or shown twice would never match). Re-read until the section has reached the gate.
     */
    private void showsExactlyTheLogSoFar(Page tab, String jobId) {
        Locator section = tab.locator(".artifact[data-kind=section]");
        AssertionError last = null;
        for (int attempt = 0; attempt < 15; attempt++) {
            String partial = api.job(jobId).artifacts().stream()
                    .filter(a -> a.status() == ArtifactStatus.STREAMING && a.kind().equals("section"))
                    .map(Artifact::content).findFirst().orElse("");
            try {
                assertThat(section).hasCount(1);
                assertThat(section).hasAttribute("data-status", "streaming");
                assertThat(section.locator(".artifact-text")).hasText(partial.strip(), new LocatorAssertions.HasTextOptions().setTimeout(2_000));
                return;
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw last;
    }

    /** The tab shows the finished job exactly as the API has it: every artifact once, the article's sections once each. */
    private void showsTheWholeJobOnce(Page tab, String jobId) {
        JobScreen ui = new JobScreen(tab);
        ui.awaitStatus("completed");
        assertThat(tab.locator("#connection")).hasText("closed");
        Job job = api.job(jobId);
        List<Artifact> completed = job.artifacts().stream().filter(a -> a.status() == ArtifactStatus.COMPLETED).toList();
        long discarded = job.artifacts().stream().filter(a -> a.status() == ArtifactStatus.DISCARDED).count();
        assertThat(tab.locator(".artifact")).hasCount(job.artifacts().size());
        assertThat(tab.locator(".artifact[data-status=completed]")).hasCount(completed.size());
        assertThat(tab.locator(".artifact[data-status=discarded]")).hasCount((int) discarded);
        for (Artifact a : completed) {
            assertThat(tab.locator(".artifact[data-artifact-id='" + a.id() + "']")).hasAttribute("data-status", "completed");
        }
        String article = completed.getLast().content();
        assertThat(tab.locator("#final-source")).hasText(article.strip());
        List<String> headings = article.lines().filter(l -> l.startsWith("## ")).map(l -> l.substring(3).strip()).toList();
        assertThat(headings).isNotEmpty().doesNotHaveDuplicates();
        assertThat(tab.locator("#final-rendered [data-md-level=\"2\"]")).hasText(headings.toArray(String[]::new));
    }

    /** The job's open streams on the node, by stream number. */
    private List<Long> openStreams(String jobId) {
        return Json.read(api.get("/api/jobs/" + jobId + "/streams").body(), StreamReport.class)
                .open().stream().map(StreamReport.Open::stream).toList();
    }

    /**
     * The node ends up with one open stream, carrying each of {@code jobs} once. A stream the worker just
     * replaced (a tab opened or closed) still counts until the node's next write to it finds it closed,
     * within a heartbeat (1 s here): so this waits for that, up to a generous bound. Tabs with streams of
     * their own would make it ten, never one.
     */
    private void awaitOneStreamCarrying(List<Job> jobs) {
        for (int i = 0; i < 150 && nodeOpenStreams() != 1; i++) {
            sleep(200);
        }
        assertThat(nodeOpenStreams()).as("open streams on the node").isEqualTo(1);
        for (Job job : jobs) {
            assertThat(openStreams(job.id())).as("streams of %s", job.id()).hasSize(1);
        }
    }

    /** Open streams on the node, a multiplexed one counting once however many jobs it carries. */
    private int nodeOpenStreams() {
        return Json.read(api.get("/healthz").body(), com.fasterxml.jackson.databind.JsonNode.class).get("openStreams").asInt();
    }

    /** A fetch from the tab answers (with a generous upper bound, so a stalled tab fails instead of hanging the test). */
    private static Object fetchFrom(Page tab, String path) {
        return tab.evaluate("""
                async (path) => Promise.race([
                  fetch(path).then((r) => r.status),
                  new Promise((resolve) => setTimeout(() => resolve('no answer within 20 s'), 20000)),
                ])""", path);
    }

    @Test
    void tenTabsOnTenRunningJobsAreAllLiveOnOneStreamTheApiAnswersInEachAndEachShowsItsJobOnce() {
        gatedNode(TestNodes.config(dir));
        List<Job> jobs = createJobs(TABS);
        List<Page> tabs = openTabs(jobs);
        awaitAllLiveAtTheGate(tabs, jobs);
        browser.screenshot("ten-tabs-tab-1");

        for (int i = 0; i < TABS; i++) {
            assertThat(fetchFrom(tabs.get(i), "/api/jobs/" + jobs.get(i).id())).as("GET from tab %d", i + 1).isEqualTo(200);
        }
        // One stream on the node carries all ten jobs (each job is on it once); no tab opened one of its own.
        awaitOneStreamCarrying(jobs);
        assertThat(tabStreamRequests).as("streams a tab opened itself").isEmpty();

        // An eleventh tab on a job the others already follow: its earlier events come from the shared buffer, once.
        Page extra = browser.newPage();
        extra.navigate(api.base().resolve("/jobs/" + jobs.getFirst().id()).toString());
        showsExactlyTheLogSoFar(extra, jobs.getFirst().id());
        assertThat(extra.locator("#connection")).hasText("live");

        gate.countDown();
        for (int i = 0; i < TABS; i++) {
            showsTheWholeJobOnce(tabs.get(i), jobs.get(i).id());
        }
        showsTheWholeJobOnce(extra, jobs.getFirst().id());
    }

    @Test
    void closingTheFirstTabAndFourMoreLosesNothingAndDoublesNothingInTheOthers() {
        gatedNode(TestNodes.config(dir));
        List<Job> jobs = createJobs(TABS);
        List<Page> tabs = openTabs(jobs);
        awaitAllLiveAtTheGate(tabs, jobs);

        for (Page tab : tabs.subList(0, 5)) {
            tab.close();
        }
        List<Page> open = tabs.subList(5, TABS);
        List<Job> watched = jobs.subList(5, TABS);
        // The stream is rebuilt for the jobs still watched: the closed tabs' jobs leave it.
        for (Job gone : jobs.subList(0, 5)) {
            awaitNoOpenStream(gone.id());
        }
        for (int i = 0; i < open.size(); i++) {
            assertThat(open.get(i).locator("#connection")).hasText("live");
            showsExactlyTheLogSoFar(open.get(i), watched.get(i).id());
        }
        awaitOneStreamCarrying(watched);

        gate.countDown();
        for (int i = 0; i < open.size(); i++) {
            showsTheWholeJobOnce(open.get(i), watched.get(i).id());
        }
    }

    private void awaitNoOpenStream(String jobId) {
        for (int i = 0; i < 150 && !openStreams(jobId).isEmpty(); i++) {
            sleep(200);
        }
        assertThat(openStreams(jobId)).as("open streams of %s, whose tab closed", jobId).isEmpty();
    }

    @Test
    void restartedMidWayEveryTabResumesByItselfAndEndsWithEverySectionOnce() throws IOException {
        int port = freePort();
        ScriptedProvider provider = gatedNode(TestNodes.config(dir).withPort(port));
        List<Job> jobs = createJobs(TABS);
        List<Page> tabs = openTabs(jobs);
        awaitAllLiveAtTheGate(tabs, jobs);

        // The jobs write on for a moment, then the node goes away mid-section.
        provider.pace(Duration.ofMillis(20));
        gate.countDown();
        sleep(300);
        node.close();
        for (Page tab : tabs) {
            assertThat(tab.locator("#connection-box")).hasAttribute("data-state", "reconnecting");
        }
        browser.screenshot("ten-tabs-reconnecting");

        node = new Node(TestNodes.config(dir).withPort(port).withWorkers(TABS))
                .provider(new ScriptedProvider().pace(Duration.ofMillis(2))).start();
        for (int i = 0; i < TABS; i++) {
            showsTheWholeJobOnce(tabs.get(i), jobs.get(i).id());
        }
        assertThat(tabStreamRequests).as("streams a tab opened itself").isEmpty();
    }

    @Test
    void theListShowsJobsFromAnotherTabAndFromElsewhereLiveFromTheStreamWithoutPolling() {
        gatedNode(TestNodes.config(dir));
        Page home = browser.page();
        // Only the slow safety reload is left out, so that a job that shows up must have come from the stream.
        home.addInitScript("window.contentgenListReloadMs = 3600000");
        List<String> listLoads = new CopyOnWriteArrayList<>();
        home.onRequest(r -> {
            if (r.url().contains("/api/jobs?")) {
                listLoads.add(r.url());
            }
        });
        home.navigate(api.base().toString());
        assertThat(home.locator("#history-empty")).hasText("No jobs yet.");

        Page other = browser.newPage();
        other.navigate(api.base().toString());
        JobScreen ui = new JobScreen(other);
        ui.generate("Written in the other tab", "short");
        String id = ui.jobId();
        Locator item = home.locator("#history li[data-job-id='" + id + "']");
        assertThat(item).containsText("Written in the other tab");
        assertThat(item.locator(".badge")).hasText("running");
        gate.countDown();
        assertThat(item.locator(".badge")).hasText("completed");
        ui.awaitStatus("completed");

        // A job created elsewhere (no tab watches it, so the stream is not rebuilt and the list not reloaded):
        // it appears, and ends completed, from `event: job` alone.
        int loads = listLoads.size();
        Job elsewhere = api.createJob(Map.of("topic", "Created through the API", "length", "short"));
        Locator second = home.locator("#history li[data-job-id='" + elsewhere.id() + "']");
        assertThat(second).containsText("Created through the API");
        assertThat(second.locator(".badge")).hasText("completed");
        assertThat(home.locator("#history li").first()).hasAttribute("data-job-id", elsewhere.id());
        assertThat(listLoads).as("GET /api/jobs from the home tab since").hasSize(loads);
    }

    @Test
    void aJobDeletedWhileTwoTabsWatchItSaysSoInBothAndTheOtherTabsJobGoesOn() {
        gatedNode(TestNodes.config(dir));
        List<Job> jobs = createJobs(2);
        List<Page> tabs = openTabs(List.of(jobs.get(0), jobs.get(0), jobs.get(1)));
        awaitAllLiveAtTheGate(tabs, List.of(jobs.get(0), jobs.get(0), jobs.get(1)));

        assertThat(api.delete("/api/jobs/" + jobs.get(0).id()).status()).isEqualTo(204);
        for (Page tab : tabs.subList(0, 2)) {
            assertThat(tab.locator("#connection-box")).hasAttribute("data-state", "closed");
            assertThat(tab.locator("#connection-detail")).containsText("was deleted; its events and artifacts are gone");
        }
        Page other = tabs.get(2);
        assertThat(other.locator("#connection")).hasText("live");
        assertThat(other.locator("#notice")).isEmpty();
        gate.countDown();
        showsTheWholeJobOnce(other, jobs.get(1).id());
        assertThat(tabs.getFirst().locator("#history li[data-job-id='" + jobs.get(0).id() + "']")).hasCount(0);
    }

    @Test
    void aBrowserCountsAsOneOpenStreamAndOneOverTheLimitIsToldWhy() {
        gatedNode(TestNodes.config(dir).withAuth(AccessMode.Setting.KEYS).withLimits(new Limits(0, 0, 1, 0)));
        String key = Keys.create(node, "alice", false);
        List<Job> jobs = IntStream.rangeClosed(1, 3)
                .mapToObj(i -> api.withKey(key).createJob(Map.of("topic", "Alice's tab " + i, "length", "short"))).toList();
        Page first = browser.page();
        first.navigate(api.base().toString());
        signIn(first, key);
        List<Page> tabs = new ArrayList<>();
        for (Job job : jobs) {
            Page tab = tabs.isEmpty() ? first : browser.newPage();
            tab.navigate(api.base().resolve("/jobs/" + job.id()).toString());
            tabs.add(tab);
        }
        for (int i = 0; i < tabs.size(); i++) {
            new JobScreen(tabs.get(i)).awaitStatus("running");
            assertThat(tabs.get(i).locator("#connection")).hasText("live");
        }

        // Another browser of the same owner: its one stream is over the limit of one, and it says so.
        Page elsewhere = browser.pageInAnotherProfile();
        elsewhere.navigate(api.base().resolve("/jobs/" + jobs.getFirst().id()).toString());
        signIn(elsewhere, key);
        assertThat(elsewhere.locator("#notice")).containsText("Too many open streams");
        for (Page tab : tabs) {
            assertThat(tab.locator("#connection")).hasText("live");
        }
        gate.countDown();
        for (int i = 0; i < tabs.size(); i++) {
            new JobScreen(tabs.get(i)).awaitStatus("completed");
        }
    }

    private static void signIn(Page page, String key) {
        page.getByLabel("API key").fill(key);
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.locator("#account")).containsText("alice");
    }

    @Test
    void withoutSharedWorkersEachTabStreamsOnItsOwnAsBefore() {
        browser.page().addInitScript("delete window.SharedWorker");
        startNode(new ScriptedProvider().pace(Duration.ofMillis(2)));
        Job job = api.createJob(Map.of("topic", "One tab, one stream", "length", "short"));
        List<Page> tabs = openTabs(List.of(job));
        showsTheWholeJobOnce(tabs.getFirst(), job.id());
        assertThat(tabStreamRequests).as("the tab's own stream").anyMatch(url -> url.contains("/api/jobs/" + job.id() + "/events"));
    }

    @Test
    void aSharedWorkerThatDoesNotStartLeavesEachTabStreamingOnItsOwn() {
        // As a node of an older version would answer: no worker script.
        browser.page().context().route("**/stream-worker.js", route -> route.fulfill(new Route.FulfillOptions().setStatus(404)));
        startNode(new ScriptedProvider().pace(Duration.ofMillis(2)));
        Job job = api.createJob(Map.of("topic", "A worker that never came", "length", "short"));
        List<Page> tabs = openTabs(List.of(job));
        showsTheWholeJobOnce(tabs.getFirst(), job.id());
        assertThat(tabStreamRequests).as("the tab's own stream").anyMatch(url -> url.contains("/api/jobs/" + job.id() + "/events"));
        assertThat(tabs.getFirst().locator("#history li[data-job-id='" + job.id() + "'] .badge")).hasText("completed");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
