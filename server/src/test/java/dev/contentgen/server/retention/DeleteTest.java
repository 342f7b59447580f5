package dev.contentgen.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Job;
import dev.contentgen.api.Json;
import dev.contentgen.api.StreamError;
import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.config.RetentionPolicy;
import dev.contentgen.server.store.Retention;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** DELETE /api/jobs/{id} and deletion by retention (docs/PROTOCOL.md, "A deleted job"). */
@ParameterizedClass
@EnumSource(TestStore.class)
class DeleteTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Parameter
    TestStore store;

    @TempDir
    Path dir;
    Node node;
    Node other;

    @AfterEach
    void stop() {
        if (other != null) {
            other.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private Config slow() {
        // Slow enough that the job still runs while the test deletes it.
        return store.config(dir).withTokensPerSecond(100).withHeadCheck(Duration.ofMillis(200));
    }

    @Test
    void deletingARunningJobEndsItsOpenStreamWithJobDeletedAndLeavesNothing() throws Exception {
        node = new Node(slow()).start();
        Api api = new Api(TestNodes.uri(node));
        Job job = api.createJob(Map.of("topic", "Deleted while it streams", "length", "long"));
        try (SseStream stream = api.events(job.id(), null)) {
            stream.readUntil(e -> "artifact.delta".equals(e.event()));

            assertThat(api.delete("/api/jobs/" + job.id()).status()).isEqualTo(204);

            List<SseEvent> rest = stream.readAllWithin(DEADLINE);
            SseEvent last = rest.getLast();
            assertThat(last.isError()).as("the stream's last message").isTrue();
            StreamError error = Json.read(last.data(), StreamError.class);
            assertThat(error.code()).isEqualTo(ErrorCode.JOB_DELETED);
            assertThat(error.retryable()).as("permanent").isFalse();
        }
        assertGone(api, job.id());
        assertThat(rows(node, job.id())).as("log, artifacts and job rows").isZero();
    }

    @Test
    void aDeletedJobIsNotFoundOnEveryNodeAndTheirStreamsOfItEnd() throws Exception {
        Assumptions.assumeTrue(store == TestStore.POSTGRESQL, "several nodes share PostgreSQL only");
        Config shared = slow();
        node = new Node(shared).start();
        other = new Node(shared.withWorkers(0)).start();
        Api onA = new Api(TestNodes.uri(node));
        Api onB = new Api(TestNodes.uri(other));
        Job job = onA.createJob(Map.of("topic", "Deleted on another node", "length", "long"));
        try (SseStream stream = onB.events(job.id(), null)) {
            stream.readUntil(e -> "artifact.delta".equals(e.event()));

            assertThat(onA.delete("/api/jobs/" + job.id()).status()).isEqualTo(204);

            SseEvent last = stream.readAllWithin(DEADLINE).getLast();
            assertThat(Json.read(last.data(), StreamError.class).code()).isEqualTo(ErrorCode.JOB_DELETED);
        }
        assertGone(onA, job.id());
        assertGone(onB, job.id());
    }

    @Test
    void deletingAFinishedJobRemovesItAndASecondDeleteIsNotFound() throws Exception {
        node = new Node(store.config(dir)).start();
        Api api = new Api(TestNodes.uri(node));
        Job job = api.createJob(Map.of("topic", "Delete my content", "length", "short"));
        api.fullLog(job.id());

        assertThat(api.delete("/api/jobs/" + job.id()).status()).isEqualTo(204);
        assertGone(api, job.id());
        assertThat(api.delete("/api/jobs/" + job.id()).status()).isEqualTo(404);
        assertThat(api.delete("/api/jobs/not-a-job").status()).isEqualTo(404);
    }

    @Test
    void onlyItsOwnerCanDeleteAJob() throws Exception {
        node = new Node(store.config(dir).withAuth(AccessMode.Setting.KEYS)).start();
        Api alice = new Api(TestNodes.uri(node)).withKey(Keys.create(node, "alice", false));
        Api bob = new Api(TestNodes.uri(node)).withKey(Keys.create(node, "bob", false));
        Job job = alice.createJob(Map.of("topic", "Alice's", "length", "short"));
        alice.fullLog(job.id());

        assertThat(bob.delete("/api/jobs/" + job.id()).status()).as("another owner's job does not exist").isEqualTo(404);
        assertThat(alice.get("/api/jobs/" + job.id()).status()).isEqualTo(200);
        assertThat(alice.delete("/api/jobs/" + job.id()).status()).isEqualTo(204);
    }

    @Test
    void retentionDeletesFinishedJobsOnlyWhenTold() throws Exception {
        node = new Node(store.config(dir)).start();
        Api api = new Api(TestNodes.uri(node));
        Job job = api.createJob(Map.of("topic", "Expires in a week", "length", "short"));
        api.fullLog(job.id());
        Retention weekLater = new Retention(node.database().jdbi(), node.database().dialect(),
                Clock.offset(Clock.systemUTC(), Duration.ofDays(8)), node.store());

        assertThat(weekLater.run(RetentionPolicy.defaults()).deleted()).as("deletion is off by default").isZero();
        assertThat(api.get("/api/jobs/" + job.id()).status()).isEqualTo(200);

        RetentionPolicy deleting = new RetentionPolicy(Duration.ofHours(1), Duration.ofDays(7), Duration.ofHours(24), Duration.ofMinutes(1));
        assertThat(weekLater.run(deleting).deleted()).isEqualTo(1);
        assertGone(api, job.id());
        assertThat(rows(node, job.id())).isZero();
    }

    private static void assertGone(Api api, String jobId) throws Exception {
        assertThat(api.get("/api/jobs/" + jobId).status()).isEqualTo(404);
        try (SseStream stream = api.events(jobId, null)) {
            assertThat(stream.status()).isEqualTo(404);
        }
        assertThat(api.get("/api/jobs").body()).doesNotContain(jobId);
    }

    private static int rows(Node node, String jobId) {
        return node.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT (SELECT COUNT(*) FROM job_events WHERE job_id = :id) + (SELECT COUNT(*) FROM artifacts WHERE job_id = :id)
                             + (SELECT COUNT(*) FROM jobs WHERE id = :id)""")
                .bind("id", jobId).mapTo(Integer.class).one());
    }
}
