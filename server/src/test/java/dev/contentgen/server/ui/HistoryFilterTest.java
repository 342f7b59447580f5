package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.testing.ScriptedProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Recent jobs filtered by status and searched by topic, from the keyboard: the server does the
 * filtering (GET /api/jobs?status=…&q=…), and a job pushed in with upsertJob lands only where it matches.
 */
class HistoryFilterTest extends BrowserTest {

    /** The scripted provider fails every job at its first section; jobs on "offline" complete. */
    void startWithJobs() {
        startNode(new ScriptedProvider().failAt("section", "the model refused"));
        for (String topic : new String[] {"Rust for Java developers", "Gardening in small spaces", "Rust in embedded boards"}) {
            api.createJob(Map.of("topic", topic, "length", "short", "provider", "offline"));
        }
        api.createJob(Map.of("topic", "Rust errors explained", "length", "short"));
        awaitAllFinished();
    }

    void awaitAllFinished() {
        for (int i = 0; i < 600 && api.get("/api/jobs?status=pending,running,retrying").as(JobPage.class).jobs().size() > 0; i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertThat(api.get("/api/jobs?status=pending,running,retrying").as(JobPage.class).jobs()).as("every job finished").isEmpty();
    }

    Locator topics(Page page) {
        return page.locator("#history li .topic");
    }

    @Test
    void searchingAndFilteringShowOnlyMatchingJobsAndSayHowMany() {
        startWithJobs();
        Page page = openHome();
        assertThat(topics(page)).hasCount(4);

        page.getByLabel("Search jobs").focus();
        page.keyboard().type("RUST");
        assertThat(topics(page)).hasText(new String[] {"Rust errors explained", "Rust in embedded boards", "Rust for Java developers"});
        assertThat(page.locator("#history-result")).hasText("3 jobs match.");

        page.keyboard().press("Tab");
        assertThat(page.getByLabel("Status", new Page.GetByLabelOptions().setExact(true))).isFocused();
        page.getByLabel("Status", new Page.GetByLabelOptions().setExact(true)).selectOption("failed");
        assertThat(topics(page)).hasText(new String[] {"Rust errors explained"});
        assertThat(page.locator("#history li .badge")).hasText("failed");
        assertThat(page.locator("#history-result")).hasText("1 job matches.");

        page.getByLabel("Search jobs").fill("garden");
        assertThat(topics(page)).hasCount(0);
        assertThat(page.locator("#history-empty")).hasText("No jobs match this search.");
        assertThat(page.locator("#history-result")).hasText("No jobs match.");
        browser.screenshot("history-filtered-empty");

        page.getByLabel("Status", new Page.GetByLabelOptions().setExact(true)).selectOption("completed");
        assertThat(topics(page)).hasText(new String[] {"Gardening in small spaces"});
        page.getByLabel("Search jobs").fill("");
        page.getByLabel("Status", new Page.GetByLabelOptions().setExact(true)).selectOption("");
        assertThat(topics(page)).hasCount(4);
    }

    @Test
    void theFilterIsTheServersSoJobsBeyondTheFirstPageAreFound() {
        startNode(new ScriptedProvider());
        Job old = api.createJob(Map.of("topic", "The one about lighthouses", "length", "short"));
        for (int i = 0; i < 25; i++) {
            api.createJob(Map.of("topic", "Filler " + i, "length", "short"));
        }
        Page page = openHome();
        assertThat(topics(page)).hasCount(20);
        assertThat(page.locator("#history li[data-job-id='" + old.id() + "']")).hasCount(0);

        page.getByLabel("Search jobs").fill("lighthouse");
        assertThat(topics(page)).hasText(new String[] {"The one about lighthouses"});
    }

    @Test
    void aPollKeepsTheKeyboardFocusOnTheLinkAPersonIsOn() {
        startNode(new ScriptedProvider());
        Job first = api.createJob(Map.of("topic", "First", "length", "short"));
        api.createJob(Map.of("topic", "Second", "length", "short"));
        awaitAllFinished();
        Page page = openHome();
        assertThat(topics(page)).hasText(new String[] {"Second", "First"});
        Locator firstLink = page.locator("#history li[data-job-id='" + first.id() + "'] a");
        firstLink.focus();

        api.createJob(Map.of("topic", "Third, while the person is on the list", "length", "short"));
        assertThat(topics(page).first()).hasText("Third, while the person is on the list"); // a poll came
        assertThat(firstLink).isFocused();
    }

    @Test
    void anUpsertedJobIsInsertedInOrderUpdatedInPlaceOrDroppedWhenItNoLongerMatches() {
        startWithJobs();
        Page page = openHome();
        page.getByLabel("Search jobs").fill("rust");
        assertThat(topics(page)).hasCount(3);
        Job newest = api.get("/api/jobs?limit=1").as(JobPage.class).jobs().getFirst();
        assertThat(newest.status()).isEqualTo(JobStatus.FAILED);

        // Each upsert and the look at the list run in one turn of the page's event loop: no poll comes between.
        assertThat(upsert(page, Map.of("id", "ffffffff-ffff-7fff-bfff-ffffffffffff", "topic", "Rust and WebAssembly",
                "status", "pending", "createdAt", "2026-12-01T00:00:00Z")))
                .as("a job the list has not seen, newer than all: first")
                .containsExactly("Rust and WebAssembly", "Rust errors explained", "Rust in embedded boards", "Rust for Java developers");
        // Compared with the list just before it, in the same turn: a reload from the server (the live list's, after its
        // stream connects) may have dropped the made-up job above meanwhile.
        Map<String, java.util.List<String>> tomatoes = upsertBeforeAndAfter(page, Map.of("id", "ffffffff-ffff-7fff-bfff-fffffffffffe",
                "topic", "Tomatoes", "status", "pending", "createdAt", "2026-12-01T00:00:00Z"));
        assertThat(tomatoes.get("after")).as("one that does not match the search is not shown")
                .doesNotContain("Tomatoes").isEqualTo(tomatoes.get("before"));

        page.getByLabel("Status", new Page.GetByLabelOptions().setExact(true)).selectOption("failed");
        assertThat(topics(page)).hasText(new String[] {"Rust errors explained"});
        assertThat(upsert(page, Map.of("id", newest.id(), "topic", "Rust errors explained, revised", "status", "failed",
                "createdAt", newest.createdAt().toString())))
                .as("a change, in place").containsExactly("Rust errors explained, revised");
        // Looked at in the same turn as the upsert: a reload from the server afterwards (the filter's, or the live list's
        // after its stream connects) rightly brings the job back as the server has it, failed.
        Map<String, Object> dropped = upsertAndLook(page, Map.of("id", newest.id(), "topic", newest.topic(), "status", "cancelled",
                "createdAt", newest.createdAt().toString()));
        assertThat((java.util.List<?>) dropped.get("topics")).as("no longer matching the status filter: dropped").isEmpty();
        assertThat(dropped.get("emptyNoteShown")).as("the list says it is empty").isEqualTo(true);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> upsertAndLook(Page page, Map<String, String> job) {
        return (Map<String, Object>) page.evaluate("""
                async (job) => {
                  const { upsertJob } = await import('/history.js');
                  upsertJob(job);
                  return {
                    topics: [...document.querySelectorAll('#history li .topic')].map((e) => e.textContent),
                    emptyNoteShown: !document.querySelector('#history-empty').hidden,
                  };
                }""", job);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, java.util.List<String>> upsertBeforeAndAfter(Page page, Map<String, String> job) {
        return (Map<String, java.util.List<String>>) page.evaluate("""
                async (job) => {
                  const { upsertJob } = await import('/history.js');
                  const topics = () => [...document.querySelectorAll('#history li .topic')].map((e) => e.textContent);
                  const before = topics();
                  upsertJob(job);
                  return { before, after: topics() };
                }""", job);
    }

    @SuppressWarnings("unchecked")
    private static java.util.List<String> upsert(Page page, Map<String, String> job) {
        return (java.util.List<String>) page.evaluate("""
                async (job) => {
                  const { upsertJob } = await import('/history.js');
                  upsertJob(job);
                  return [...document.querySelectorAll('#history li .topic')].map((e) => e.textContent);
                }""", job);
    }
}
