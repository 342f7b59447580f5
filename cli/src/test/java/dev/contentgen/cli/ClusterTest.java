package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.api.StreamError;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production mode: node processes sharing one PostgreSQL. Any node serves any job's stream, and a
 * job outlives the node that runs it (guarantees 1 and 5 across nodes).
 */
class ClusterTest {
    @TempDir
    Path dir;

    private NodeProcess node(String db, String name, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--db", db));
        all.addAll(List.of(args));
        return NodeProcess.start(dir.resolve(name), all.toArray(String[]::new));
    }

    @Test
    void aJobCreatedOnOneNodeStreamsLiveFromTwoOthers() throws Exception {
        String db = TestStore.freshPostgresUrl();
        try (NodeProcess a = node(db, "a", "--workers", "1", "--tokens-per-second", "400");
             NodeProcess b = node(db, "b", "--workers", "0");
             NodeProcess c = node(db, "c", "--workers", "0");
             ExecutorService subscribers = Executors.newVirtualThreadPerTaskExecutor()) {
            String jobId = new Api(a.uri()).createJob(Map.of("topic", "One log, many nodes")).id();
            Future<List<SseEvent>> fromB = subscribers.submit(() -> new Api(b.uri()).fullLog(jobId));
            Future<List<SseEvent>> fromC = subscribers.submit(() -> new Api(c.uri()).fullLog(jobId));

            List<SseEvent> logA = new Api(a.uri()).fullLog(jobId);
            assertThat(fromB.get()).containsExactlyElementsOf(logA);
            assertThat(fromC.get()).containsExactlyElementsOf(logA);
            assertThat(JobLogAssertions.assertConsistent(logA).terminal().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(b.output()).anyMatch(l -> l.contains("[STREAM_COMPLETE] job=" + jobId));
        }
    }

    @Test
    void killingTheWorkerNodeMidJobLetsAnotherRescueItAndEverySubscriberEndsWithOneLog() throws Exception {
        String db = TestStore.freshPostgresUrl();
        try (NodeProcess a = node(db, "a", "--workers", "1", "--tokens-per-second", "100", "--lease", "2s");
             NodeProcess c = node(db, "c", "--workers", "0")) {
            String jobId = new Api(a.uri()).createJob(Map.of("topic", "Nodes that die")).id();
            List<SseEvent> viaA = new ArrayList<>();
            List<SseEvent> viaC = new ArrayList<>();
            try (SseStream streamA = new Api(a.uri()).events(jobId, null);
                 SseStream streamC = new Api(c.uri()).events(jobId, null)) {
                viaA.addAll(streamA.readUntil(LogReading.midStep("section-2")));
                // Killed right after the first delta of section 2, so that section is certainly mid-way.
                a.kill();
                LogReading.readUntilCut(streamA, viaA);
                // Only now a second worker node exists: the job was certainly A's; B rescues it once the lease expires.
                try (NodeProcess b = node(db, "b", "--workers", "1", "--lease", "2s", "--tokens-per-second", "0")) {
                    long lastSeen = viaA.getLast().seq();
                    // A's subscriber reconnects to a living node with its last id; C's stream never broke.
                    try (SseStream resumed = new Api(b.uri()).events(jobId, lastSeen)) {
                        viaA.addAll(resumed.readAll());
                    }
                    viaC.addAll(streamC.readAll());

                    List<SseEvent> full = new Api(b.uri()).fullLog(jobId);
                    assertThat(viaA).as("subscriber that lost its node").containsExactlyElementsOf(full);
                    assertThat(viaC).as("subscriber on a surviving node").containsExactlyElementsOf(full);
                    var log = JobLogAssertions.assertConsistent(full);
                    assertThat(log.terminal().status()).isEqualTo(JobStatus.COMPLETED);
                    assertThat(log.discarded()).as("the interrupted section is retracted").hasSize(1);
                    assertThat(LogReading.statuses(full)).containsSubsequence("running", "retrying", "running", "completed");
                    assertThat(attemptOfLastStatus(full)).isEqualTo(2);
                    assertThat(log.ofKind("outline")).as("finished steps are not redone").hasSize(1);
                    assertThat(b.output()).anyMatch(l -> l.contains("job=" + jobId + " started attempt=2"));
                }
            }
        }
    }

    @Test
    void terminatingANodeHandsItsJobToAnotherAtOnceAndTellsStreamsToReconnect() throws Exception {
        String db = TestStore.freshPostgresUrl();
        // A long lease: only a hand-back, not a lease expiry, can move the job in this test's time.
        // A writes slowly enough that the job outlasts B's start on a busy machine (at 100 tokens/s it once ended first).
        try (NodeProcess a = node(db, "a", "--workers", "1", "--tokens-per-second", "40", "--lease", "60s")) {
            String jobId = new Api(a.uri()).createJob(Map.of("topic", "Nodes that leave politely")).id();
            List<SseEvent> received = new ArrayList<>();
            try (SseStream stream = new Api(a.uri()).events(jobId, null)) {
                received.addAll(stream.readUntil(LogReading.midStep("section-2")));
                // B writes at a realistic pace, so A's goodbye comes long before the job ends.
                try (NodeProcess b = node(db, "b", "--workers", "1", "--lease", "60s", "--tokens-per-second", "300")) {
                    a.terminate();
                    LogReading.readUntilCut(stream, received);
                    SseEvent goodbye = received.getLast();
                    assertThat(goodbye.isError()).as("last messages: %s", received.subList(Math.max(0, received.size() - 3), received.size())).isTrue();
                    assertThat(Json.read(goodbye.data(), StreamError.class).code()).isEqualTo(ErrorCode.SERVER_SHUTTING_DOWN);

                    long lastSeen = received.stream().filter(e -> !e.isError()).toList().getLast().seq();
                    try (SseStream resumed = new Api(b.uri()).events(jobId, lastSeen)) {
                        received.addAll(resumed.readAll());
                    }
                    List<SseEvent> jobEvents = received.stream().filter(e -> !e.isError()).toList();
                    List<SseEvent> full = new Api(b.uri()).fullLog(jobId);
                    assertThat(jobEvents).containsExactlyElementsOf(full);
                    var log = JobLogAssertions.assertConsistent(full);
                    assertThat(log.terminal().status()).isEqualTo(JobStatus.COMPLETED);
                    assertThat(LogReading.statuses(full)).containsSubsequence("running", "pending", "running", "completed")
                            .doesNotContain("retrying");
                    assertThat(b.output()).anyMatch(l -> l.contains("job=" + jobId + " started attempt=1"));
                }
            }
        }
    }

    private static int attemptOfLastStatus(List<SseEvent> events) {
        return events.stream().filter(e -> e.event().equals("status"))
                .map(e -> ((JobEvent.Status) e.logged().event()).attempt()).reduce((x, y) -> y).orElseThrow();
    }
}
