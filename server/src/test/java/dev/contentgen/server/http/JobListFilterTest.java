package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /api/jobs?status=…&q=…}: the list filtered in the store, on both stores, still one
 * owner's jobs only, and paged by the same cursor. No workers run, so a job stays pending until
 * it is cancelled: two statuses the test sets itself.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class JobListFilterTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    Node node;
    Api alice;
    Api bob;
    Api admin;

    @BeforeEach
    void start() {
        node = new Node(store.config(dir).withWorkers(0).withAuth(AccessMode.Setting.KEYS)).start();
        Api anonymous = new Api(TestNodes.uri(node));
        alice = anonymous.withKey(Keys.create(node, "alice", false));
        bob = anonymous.withKey(Keys.create(node, "bob", false));
        admin = anonymous.withKey(Keys.create(node, "ops", true));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void filtersByStatusAndByTopicIgnoringCaseWithinTheOwnersJobs() {
        Job rust = alice.createJob("Rust for Java developers");
        Job cancelledRust = alice.createJob("Why RUST is fast");
        Job gardening = alice.createJob("Gardening in small spaces");
        assertThat(alice.post("/api/jobs/" + cancelledRust.id() + "/cancel", "").status()).isEqualTo(200);
        Job bobs = bob.createJob("Rust on embedded boards");

        assertThat(ids(alice, "q=rust")).containsExactly(cancelledRust.id(), rust.id());
        assertThat(ids(alice, "status=cancelled")).containsExactly(cancelledRust.id());
        assertThat(ids(alice, "status=pending")).containsExactly(gardening.id(), rust.id());
        assertThat(ids(alice, "status=pending&q=RuSt")).containsExactly(rust.id());
        assertThat(ids(alice, "status=pending,cancelled")).containsExactly(gardening.id(), cancelledRust.id(), rust.id());
        assertThat(ids(alice, "status=pending&status=cancelled")).containsExactly(gardening.id(), cancelledRust.id(), rust.id());
        assertThat(ids(alice, "status=completed")).isEmpty();
        assertThat(ids(alice, "q=" + encode("  small  "))).as("blank around the words is not part of the search")
                .containsExactly(gardening.id());
        assertThat(ids(alice, "q=")).as("an empty search is no search").hasSize(3);

        assertThat(ids(bob, "q=rust")).as("another owner's jobs never match").containsExactly(bobs.id());
        assertThat(ids(admin, "q=rust")).as("an admin searches everyone's")
                .containsExactly(bobs.id(), cancelledRust.id(), rust.id());
    }

    @Test
    void wildcardsInTheSearchMatchOnlyThemselves() {
        Job percent = alice.createJob("Growth of 100% in a year");
        Job underscore = alice.createJob("snake_case or camelCase");
        alice.createJob("Growth of 1000 in a year");
        alice.createJob("snakeXcase naming");
        Job backslash = alice.createJob("Paths like C:\\temp");

        assertThat(ids(alice, "q=" + encode("100%"))).containsExactly(percent.id());
        assertThat(ids(alice, "q=" + encode("e_c"))).containsExactly(underscore.id());
        assertThat(ids(alice, "q=" + encode("%"))).containsExactly(percent.id());
        assertThat(ids(alice, "q=" + encode("C:\\t"))).containsExactly(backslash.id());
    }

    @Test
    void aFilteredListPagesWithTheSameCursor() {
        List<String> matching = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            matching.addFirst(alice.createJob("Weekly report " + i).id());
            alice.createJob("Something else " + i);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JobPage page = alice.get("/api/jobs?limit=2&q=report" + (cursor == null ? "" : "&cursor=" + cursor)).as(JobPage.class);
            assertThat(page.jobs()).hasSizeLessThanOrEqualTo(2).allSatisfy(job -> assertThat(job.topic()).contains("report"));
            page.jobs().forEach(job -> seen.add(job.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).isEqualTo(matching);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void anUnknownStatusOrAnOverlongSearchIs400() {
        Api.Response unknown = alice.get("/api/jobs?status=done");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(JobsApiTest.code(unknown)).isEqualTo("INVALID_FIELD");
        assertThat(unknown.body()).contains("pending, running, retrying, completed, failed, cancelled");
        assertThat(alice.get("/api/jobs?status=pending,").status()).as("an empty name in the list").isEqualTo(400);

        Api.Response overlong = alice.get("/api/jobs?q=" + "x".repeat(501));
        assertThat(overlong.status()).isEqualTo(400);
        assertThat(JobsApiTest.code(overlong)).isEqualTo("INVALID_FIELD");
    }

    private static List<String> ids(Api api, String query) {
        Api.Response r = api.get("/api/jobs?" + query);
        assertThat(r.status()).as(query + ": " + r.body()).isEqualTo(200);
        return r.as(JobPage.class).jobs().stream().map(Job::id).toList();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
