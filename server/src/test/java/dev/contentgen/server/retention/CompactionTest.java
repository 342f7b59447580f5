package dev.contentgen.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.RetentionPolicy;
import dev.contentgen.server.store.Retention;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FaultyDataSource;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.RenderedJob;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Compaction and snapshots, on both stores (docs/PROTOCOL.md, "Snapshots"; README, "Retention"). */
@ParameterizedClass
@EnumSource(TestStore.class)
class CompactionTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;
    Node node;
    Api api;
    /** Retention as it will run two hours from now: every job finished so far is past --compact-after (1 h). */
    Retention later;

    @BeforeEach
    void start() {
        node = new Node(store.config(dir)).start();
        api = new Api(TestNodes.uri(node));
        later = new Retention(node.database().jdbi(), node.database().dialect(),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), node.store());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void compactionKeepsTheFinalTextAndEveryEventButTheDeltas() throws Exception {
        Job job = api.createJob(Map.of("topic", "What compaction keeps", "length", "short"));
        List<SseEvent> full = api.fullLog(job.id());
        JobLogAssertions.assertConsistent(full);
        List<Artifact> before = api.job(job.id()).artifacts();
        long highestDelta = full.stream().filter(e -> e.event().equals("artifact.delta")).mapToLong(SseEvent::seq).max().orElseThrow();

        Retention.Pass pass = later.run(RetentionPolicy.defaults());

        assertThat(pass.compacted()).isEqualTo(1);
        assertThat(pass.eventsDropped()).isEqualTo(full.stream().filter(e -> e.event().equals("artifact.delta")).count());
        assertThat(keptLog(job.id())).as("the log minus its deltas, each kept event unchanged")
                .containsExactlyElementsOf(full.stream().filter(e -> !e.event().equals("artifact.delta")).map(SseEvent::data).toList());
        assertThat(api.job(job.id()).artifacts()).as("the final text").isEqualTo(before);
        assertThat(node.store().findHead(job.id()).orElseThrow().compactedSeq()).isEqualTo(highestDelta);
        assertThat(later.run(RetentionPolicy.defaults()).compacted()).as("a job is compacted once").isZero();
    }

    @Test
    void jobsNotYetPastCompactAfterAreLeftWhole() throws Exception {
        Job job = api.createJob(Map.of("topic", "Too fresh to compact", "length", "short"));
        List<SseEvent> full = api.fullLog(job.id());
        Retention now = new Retention(node.database().jdbi(), node.database().dialect(), Clock.systemUTC(), node.store());

        assertThat(now.run(RetentionPolicy.defaults()).compacted()).isZero();
        assertThat(api.fullLog(job.id())).containsExactlyElementsOf(full);
    }

    /** The rule of docs/PROTOCOL.md, "Snapshots", from every resume point of a compacted job. */
    @Test
    void resumingFromEverySeqOfACompactedJobYieldsASnapshotAndTailEquivalentToTheWholeLog() throws Exception {
        Job job = api.createJob(Map.of("topic", "Resume into a compacted range", "length", "short"));
        List<SseEvent> full = api.fullLog(job.id());
        RenderedJob whole = RenderedJob.of(full);
        later.run(RetentionPolicy.defaults());
        long compactedSeq = node.store().findHead(job.id()).orElseThrow().compactedSeq();
        List<SseEvent> kept = full.stream().filter(e -> !e.event().equals("artifact.delta")).toList();
        long lastSeq = full.getLast().seq();

        for (long k = 0; k < lastSeq; k++) {
            List<SseEvent> received;
            try (SseStream stream = api.events(job.id(), k == 0 ? null : k, true)) {
                received = stream.readAll();
            }
            final long after = k;
            try (SseStream stream = api.events(job.id(), k == 0 ? null : k, false)) {
                assertThat(withoutTimes(stream.readAll())).as("resume after %d without snapshots: the log rebuilt, deltas and all", k)
                        .containsExactlyElementsOf(withoutTimes(full.subList((int) k, full.size())));
            }
            if (k >= compactedSeq) {
                assertThat(received).as("resume after %d, beyond the compacted range: exactly as before", k)
                        .containsExactlyElementsOf(full.subList((int) k, full.size()));
                continue;
            }
            SseEvent snapshot = received.getFirst();
            assertThat(snapshot.event()).as("resume after %d", k).isEqualTo("snapshot");
            long s = snapshot.seq();
            assertThat(s).as("the snapshot stands for a seq past the compacted range").isGreaterThan(compactedSeq);
            assertThat(snapshot.logged().event()).isInstanceOf(JobEvent.Snapshot.class);
            assertThat(received.subList(1, received.size())).as("then the rest of the log after it, once, in order")
                    .containsExactlyElementsOf(kept.stream().filter(e -> e.seq() > s).toList());
            List<SseEvent> seen = new ArrayList<>(full.subList(0, (int) after));
            seen.addAll(received);
            assertThat(RenderedJob.of(seen)).as("what a client shows after resuming at %d", k).isEqualTo(whole);
            assertThat(RenderedJob.of(received.subList(0, 1)))
                    .as("the snapshot alone is the job as of its seq")
                    .isEqualTo(RenderedJob.of(full.subList(0, (int) s)));
        }
    }

    @Test
    void aCompactedJobStreamedFromTheStartEndsAfterItsTerminalEvent() throws Exception {
        Job job = api.createJob(Map.of("topic", "To the end of a compacted log", "length", "short"));
        List<SseEvent> full = api.fullLog(job.id());
        later.run(RetentionPolicy.defaults());
        try (SseStream stream = api.events(job.id(), null, true)) {
            List<SseEvent> received = stream.readAll();
            assertThat(received.getLast().logged().isTerminal()).isTrue();
            assertThat(received.getLast().seq()).isEqualTo(full.getLast().seq());
        }
        try (SseStream stream = api.events(job.id(), full.getLast().seq())) {
            assertThat(stream.status()).as("after the end, as before compaction").isEqualTo(204);
        }
    }

    /**
     * A stream that opened before compaction and reads the log after it (its reads failed meanwhile) finds
     * a gap where the deltas were: a snapshot bridges it, so it still receives one consistent story.
     */
    @Test
    void aStreamThatMeetsAFreshlyCompactedRangeGetsASnapshotForIt(@TempDir Path own) throws Exception {
        AtomicReference<FaultyDataSource> faults = new AtomicReference<>();
        try (Node faulty = new Node(store.config(own)).dataSourceWrapper(real -> {
            faults.set(new FaultyDataSource(real));
            return faults.get();
        }).start()) {
            Api onFaulty = new Api(TestNodes.uri(faulty));
            Job job = onFaulty.createJob(Map.of("topic", "Compacted under a reader", "length", "short"));
            // Read from the tables, not a stream: this node's feed must not hold the log in memory already.
            while (!onFaulty.job(job.id()).status().isTerminal()) {
                Thread.sleep(20);
            }
            List<SseEvent> full = faulty.database().jdbi().withHandle(h -> h.createQuery(
                            "SELECT seq, type, data FROM job_events WHERE job_id = :id ORDER BY seq").bind("id", job.id())
                    .map((rs, ctx) -> new SseEvent(rs.getString("seq"), rs.getString("type"), rs.getString("data"))).list());
            Retention retention = new Retention(faulty.database().jdbi(), faulty.database().dialect(),
                    Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), faulty.store());
            // The log's readers fail (the stream says STORE_UNAVAILABLE and retries) while compaction runs.
            faults.get().failStatementsContaining("ORDER BY seq LIMIT");
            List<SseEvent> received = new ArrayList<>();
            List<SseEvent> receivedWithout = new ArrayList<>();
            try (SseStream stream = onFaulty.events(job.id(), null, true); SseStream without = onFaulty.events(job.id(), null, false)) {
                received.add(stream.next());
                receivedWithout.add(without.next());
                assertThat(received.getFirst().isError()).as("the reader is stuck before any event").isTrue();
                assertThat(receivedWithout.getFirst().isError()).isTrue();
                assertThat(retention.run(RetentionPolicy.defaults()).compacted()).isEqualTo(1);
                faults.get().failStatementsContaining(null);
                received.addAll(stream.readAll());
                receivedWithout.addAll(without.readAll());
            }
            assertThat(withoutTimes(receivedWithout.stream().filter(e -> !e.isError()).toList()))
                    .as("a client without snapshots gets the deltas rebuilt").containsExactlyElementsOf(withoutTimes(full));
            List<SseEvent> events = received.stream().filter(e -> !e.isError()).toList();
            assertThat(events).extracting(SseEvent::event).contains("snapshot");
            for (int i = 1; i < events.size(); i++) {
                SseEvent e = events.get(i);
                assertThat(e.seq() == events.get(i - 1).seq() + 1 || e.event().equals("snapshot"))
                        .as("event %s follows %s, or is a snapshot standing for the gap", e.seq(), events.get(i - 1).seq()).isTrue();
            }
            assertThat(RenderedJob.of(events)).isEqualTo(RenderedJob.of(full));
        }
    }

    /** Seq, type and payload: a rebuilt delta's {@code at} is the next kept event's. */
    @Test
    void aDiscardedArtifactsDroppedDeltasAreRebuiltWithTheTextTheyCarried() throws Exception {
        node.close();
        // Slow enough that the cancel lands in the middle of a step, with some of its deltas written.
        var config = store.config(dir).withTokensPerSecond(50);
        node = new Node(config).start();
        api = new Api(TestNodes.uri(node));
        later = new Retention(node.database().jdbi(), node.database().dialect(),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), node.store());
        Job job = api.createJob(Map.of("topic", "Cancelled in the middle of a step", "length", "short"));
        try (SseStream stream = api.events(job.id(), null)) {
            stream.readUntil(e -> "artifact.delta".equals(e.event()));
        }
        assertThat(api.post("/api/jobs/" + job.id() + "/cancel", "").status()).as("requested: the worker stops the step").isEqualTo(202);
        List<SseEvent> full = api.fullLog(job.id());
        String discarded = full.stream().filter(e -> e.event().equals("artifact.discarded"))
                .map(e -> ((JobEvent.ArtifactDiscarded) e.logged().event()).artifactId()).findFirst().orElseThrow();
        assertThat(full).as("the retracted artifact had text").anyMatch(e -> e.logged().event() instanceof JobEvent.ArtifactDelta d
                && d.artifactId().equals(discarded) && !d.text().isEmpty());

        assertThat(later.run(RetentionPolicy.defaults()).compacted()).isEqualTo(1);
        // A new node: the job's events are read from the compacted store, not from the last node's memory.
        node.close();
        node = new Node(config).start();
        api = new Api(TestNodes.uri(node));

        try (SseStream stream = api.events(job.id(), null, false)) {
            assertThat(withoutTimes(stream.readAll())).as("the log rebuilt, the discarded artifact's deltas with their text")
                    .containsExactlyElementsOf(withoutTimes(full));
        }
    }

    private static List<String> withoutTimes(List<SseEvent> events) {
        return events.stream().map(e -> e.seq() + " " + e.event() + " " + dev.contentgen.api.Json.write(e.logged().event())).toList();
    }

    private List<String> keptLog(String jobId) {
        return node.database().jdbi().withHandle(h -> h.createQuery("SELECT data FROM job_events WHERE job_id = :id ORDER BY seq")
                .bind("id", jobId).mapTo(String.class).list());
    }
}
