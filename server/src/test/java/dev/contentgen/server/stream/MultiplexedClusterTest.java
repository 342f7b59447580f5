package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Job;
import dev.contentgen.api.Json;
import dev.contentgen.api.StreamToken;
import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.config.Limits;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.ApiContract;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import dev.contentgen.server.testing.Vector;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multiplexed stream in a PostgreSQL cluster with keys: the live job list hears every node, a job of
 * another owner is not in the stream, and the whole stream holds one of the owner's stream slots.
 */
class MultiplexedClusterTest {
    @TempDir
    Path dir;

    /** Jobs stay pending (no workers), so streams stay open and status changes are the test's own. */
    private Config cluster(Limits limits) {
        return TestStore.POSTGRESQL.config(dir).withWorkers(0).withAuth(AccessMode.Setting.KEYS).withLimits(limits);
    }

    @Test
    void theJobListCarriesCreationsAndStatusChangesFromEveryNodeAndOnlyTheCallersJobs() throws Exception {
        Config config = cluster(Limits.defaults());
        try (Node a = new Node(config).start(); Node b = new Node(config).start()) {
            Api aliceOnA = new Api(TestNodes.uri(a)).withKey(Keys.create(a, "alice", false));
            Api aliceOnB = new Api(TestNodes.uri(b)).withKey(Keys.create(a, "alice", false));
            Api bobOnB = new Api(TestNodes.uri(b)).withKey(Keys.create(a, "bob", false));
            try (SseStream list = aliceOnA.multiplexed("list=1", null)) {
                assertThat(list.status()).isEqualTo(200);
                BlockingQueue<SseEvent> received = background(list);
                // Opened once its first bytes arrived; the job list of the node is watched from then on.
                Job first = aliceOnB.createJob("Created on the other node");
                assertItem(received.poll(30, TimeUnit.SECONDS), first.id(), "pending", "Created on the other node");
                assertThat(aliceOnB.post("/api/jobs/" + first.id() + "/cancel", "").status()).isEqualTo(200);
                assertItem(received.poll(30, TimeUnit.SECONDS), first.id(), "cancelled", "Created on the other node");
                bobOnB.createJob("Bob's, not Alice's");
                Job second = aliceOnB.createJob("Alice's second");
                // Items come in commit order from one listener: had Bob's job been sent, it would come first.
                assertItem(received.poll(30, TimeUnit.SECONDS), second.id(), "pending", "Alice's second");
            }
        }
    }

    @Test
    void jobsRunningOnOneNodeStreamWholeOnAMultiplexedStreamOfTheOther() throws Exception {
        Config watching = cluster(Limits.defaults());
        try (Node runs = new Node(watching.withWorkers(2)).start(); Node watches = new Node(watching).start()) {
            String key = Keys.create(runs, "alice", false);
            Api onRunner = new Api(TestNodes.uri(runs)).withKey(key);
            Api onWatcher = new Api(TestNodes.uri(watches)).withKey(key);
            Job a = onRunner.createJob("Run here, watched there");
            Job b = onRunner.createJob("Run here too");
            List<SseEvent> received;
            try (SseStream stream = onWatcher.multiplexed("job=" + a.id() + "&job=" + b.id(), null)) {
                received = stream.readAllWithin(java.time.Duration.ofSeconds(60));
            }
            var byJob = Vector.byJob(received);
            assertThat(byJob.get(a.id())).containsExactlyElementsOf(onRunner.fullLog(a.id()));
            assertThat(byJob.get(b.id())).containsExactlyElementsOf(onRunner.fullLog(b.id()));
        }
    }

    @Test
    void anotherOwnersJobIsAnErrorEventLikeAnUnknownJobsAndTheOthersGoOn() throws Exception {
        Config config = cluster(Limits.defaults());
        try (Node a = new Node(config).start(); Node b = new Node(config).start()) {
            Api alice = new Api(TestNodes.uri(a)).withKey(Keys.create(a, "alice", false));
            Api bob = new Api(TestNodes.uri(b)).withKey(Keys.create(a, "bob", false));
            Job bobs = bob.createJob("Bob's secret");
            Job alices = alice.createJob("Alice's own");
            String unknown = UUID.randomUUID().toString();
            try (SseStream stream = alice.multiplexed("job=" + bobs.id() + "&job=" + unknown + "&job=" + alices.id(), null)) {
                SseEvent forBob = stream.next();
                SseEvent forUnknown = stream.next();
                SseEvent own = stream.next();
                assertThat(forBob.isError()).isTrue();
                assertThat(forUnknown.isError()).isTrue();
                assertThat(forBob.data().replace(bobs.id(), "ID")).as("indistinguishable from an unknown job")
                        .isEqualTo(forUnknown.data().replace(unknown, "ID")).contains("JOB_NOT_FOUND");
                assertThat(own.id()).isEqualTo("0,0,1");
                assertThat(own.logged().jobId()).isEqualTo(alices.id());
            }
            // Anonymous, with a stream token for one job: the other job (even the token owner's) is not in the stream.
            StreamToken token = alice.post("/api/jobs/" + alices.id() + "/stream-token", "").as(StreamToken.class);
            Job otherOfAlice = alice.createJob("Not in the token");
            Api anonymous = new Api(TestNodes.uri(b));
            try (SseStream stream = anonymous.multiplexed("job=" + otherOfAlice.id() + "&job=" + alices.id() + "&token=" + token.token(), null)) {
                assertThat(stream.status()).isEqualTo(200);
                SseEvent notCovered = stream.next();
                assertThat(notCovered.isError()).isTrue();
                assertThat(Vector.jobOf(notCovered)).isEqualTo(otherOfAlice.id());
                assertThat(notCovered.data()).contains("JOB_NOT_FOUND");
                SseEvent covered = stream.next();
                assertThat(covered.id()).isEqualTo("0,1");
            }
            try (SseStream stream = anonymous.multiplexed("job=" + alices.id(), null)) {
                assertThat(stream.status()).as("neither a key nor a token").isEqualTo(401);
            }
            try (SseStream stream = anonymous.multiplexed("job=" + alices.id() + "&list=1&token=" + token.token(), null)) {
                assertThat(stream.status()).as("a stream token never reads the job list").isEqualTo(401);
            }
            try (SseStream stream = anonymous.multiplexed("job=" + otherOfAlice.id() + "&token=" + token.token(), null)) {
                assertThat(stream.status()).as("no token for any of the jobs").isEqualTo(401);
            }
            assertThat(anonymous.get("/api/events?job=not-a-job").status()).as("who asks comes before what is asked").isEqualTo(401);
        }
    }

    @Test
    void aMultiplexedStreamHoldsOneSlotHoweverManyJobsItCarries() throws Exception {
        Config config = cluster(new Limits(0, 0, 2, 0));
        try (Node a = new Node(config).start(); Node b = new Node(config).start()) {
            String key = Keys.create(a, "alice", false);
            Api onA = new Api(TestNodes.uri(a)).withKey(key);
            Api onB = new Api(TestNodes.uri(b)).withKey(key);
            Job one = onA.createJob("One");
            Job two = onA.createJob("Two");
            Job three = onA.createJob("Three");
            try (SseStream many = onA.multiplexed("job=" + one.id() + "&job=" + two.id() + "&job=" + three.id(), null)) {
                // The jobs' cursors run side by side: whichever wrote first, its job is at 1 and the others at 0.
                assertThat(Vector.parse(many.next().id())).as("three jobs on one stream").containsExactlyInAnyOrder(1L, 0L, 0L);
                try (SseStream single = onB.events(one.id(), null)) {
                    assertThat(single.next().id()).as("the second slot is still free").isEqualTo("1");
                    try (SseStream third = onB.multiplexed("job=" + two.id(), null)) {
                        assertThat(third.status()).isEqualTo(200);
                        assertThat(third.readAll()).singleElement().satisfies(e -> {
                            assertThat(e.isError()).isTrue();
                            assertThat(Vector.jobOf(e)).as("a stream-level error names no job").isNull();
                            assertThat(e.data()).contains("TOO_MANY_STREAMS").contains("\"retryable\":true");
                        });
                    }
                }
            }
        }
    }

    private static void assertItem(SseEvent item, String jobId, String status, String topic) {
        assertThat(item).as("an item within the bound").isNotNull();
        assertThat(item.event()).isEqualTo("job");
        assertThat(item.id()).as("a job list item moves no resume point").isNull();
        JsonNode data = Json.read(item.data(), JsonNode.class);
        assertThat(data.get("jobId").asText()).isEqualTo(jobId);
        assertThat(data.get("id").asText()).isEqualTo(jobId);
        assertThat(data.get("status").asText()).isEqualTo(status);
        assertThat(data.get("topic").asText()).isEqualTo(topic);
        assertThat(data.has("createdAt") && data.has("updatedAt") && data.has("format")).isTrue();
        assertThat(ApiContract.validate("JobListItem", data)).as("as openapi.json says").isEmpty();
    }

    /** Reads the stream on a thread of its own, so the test can wait for each message with a bound. */
    private static BlockingQueue<SseEvent> background(SseStream stream) {
        BlockingQueue<SseEvent> queue = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try {
                SseEvent e;
                while ((e = stream.next()) != null) {
                    queue.add(e);
                }
            } catch (IOException closed) {
                // The test closed the stream.
            }
        });
        return queue;
    }
}
