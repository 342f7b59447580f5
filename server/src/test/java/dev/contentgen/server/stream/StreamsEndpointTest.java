package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/jobs/{id}/streams} (README, "The API"): why did my stream stop? */
class StreamsEndpointTest {
    @TempDir
    Path dir;

    @Test
    void showsAnOpenStreamThenItsEndWithTheReasonToItsOwnerOnly() throws Exception {
        // No workers: the job stays pending, so its stream stays open until the client leaves.
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0).withAuth(AccessMode.Setting.KEYS)).start()) {
            String aliceKey = Keys.create(node, "alice", false);
            Api alice = new Api(TestNodes.uri(node)).withKey(aliceKey);
            Api bob = new Api(TestNodes.uri(node)).withKey(Keys.create(node, "bob", false));
            Job job = alice.createJob("Watched streams");

            SseStream stream = alice.events(job.id(), null);
            stream.next();
            StreamReport open = await(alice, job.id(), r -> r.open().size() == 1 && r.open().getFirst().sent() == 1);
            assertThat(open.node()).isEqualTo(node.id());
            assertThat(open.open().getFirst()).satisfies(s -> {
                assertThat(s.after()).isZero();
                assertThat(s.reconnect()).isFalse();
                assertThat(s.replayed()).isEqualTo(1);
                assertThat(s.lastSeq()).isEqualTo(1);
            });
            assertThat(open.ended()).isEmpty();

            assertThat(bob.get("/api/jobs/" + job.id() + "/streams").status()).as("another owner's job does not exist").isEqualTo(404);
            assertThat(alice.get("/api/jobs/j_nosuchjob/streams").status()).isEqualTo(404);

            stream.close();
            // The server sees the client gone at its next write, the 1 s heartbeat in tests.
            StreamReport ended = await(alice, job.id(), r -> r.open().isEmpty() && !r.ended().isEmpty());
            assertThat(ended.ended().getFirst()).satisfies(e -> {
                assertThat(e.reason()).isEqualTo("client_closed");
                assertThat(e.opened()).isTrue();
                assertThat(e.sent()).isEqualTo(1);
                assertThat(e.replayed()).isEqualTo(1);
                assertThat(e.after()).isZero();
                assertThat(e.endedAt()).isAfterOrEqualTo(e.openedAt());
            });

            try (SseStream reconnect = alice.events(job.id(), 1L)) {
                StreamReport again = await(alice, job.id(), r -> r.open().size() == 1);
                assertThat(again.open().getFirst().reconnect()).isTrue();
                assertThat(again.open().getFirst().after()).isEqualTo(1);
                assertThat(again.open().getFirst().sent()).isZero();
                assertThat(alice.get("/api/jobs/" + job.id() + "/streams").body()).doesNotContain(aliceKey).doesNotContain("cgk_");
            }
        }
    }

    private static StreamReport await(Api api, String jobId, Predicate<StreamReport> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Api.Response response = api.get("/api/jobs/" + jobId + "/streams");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).startsWith("application/json");
            StreamReport report = Json.read(response.body(), StreamReport.class);
            if (done.test(report) || System.nanoTime() > deadline) {
                assertThat(done).as("the streams of %s never reached the expected state: %s", jobId, response.body()).accepts(report);
                return report;
            }
            Thread.sleep(50);
        }
    }
}
