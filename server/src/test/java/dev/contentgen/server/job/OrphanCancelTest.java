package dev.contentgen.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.store.ClaimedJob;
import dev.contentgen.server.store.Database;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.SettableClock;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A cancel of a running job nobody holds (its lease ran out) takes effect at once; a held one stays cooperative. */
@ParameterizedClass
@EnumSource(TestStore.class)
class OrphanCancelTest {
    // Long, so the node's own rescuer (every half lease) does not step in between moving the clock and cancelling.
    private static final Duration LEASE = Duration.ofMinutes(1);

    @Parameter
    TestStore kind;
    @TempDir
    Path dir;

    /** Runs {@code test} against a node that runs no jobs itself, and a job whose worker elsewhere streamed half an outline. */
    private void withAbandonedJob(TestBody test) throws Exception {
        SettableClock clock = new SettableClock();
        Config config = kind.config(dir).withWorkers(0).withLease(LEASE);
        try (Node node = new Node(config).clock(clock).start();
             Database beside = TestStore.open(config, UnaryOperator.identity())) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Abandoned mid-outline"));
            Store elsewhere = new Store(beside.jdbi(), beside.dialect(), clock, new SimpleMeterRegistry(), node.notifier());
            ClaimedJob claimed = elsewhere.claimNext("node-that-dies", LEASE.toMillis()).orElseThrow();
            elsewhere.append(claimed.run(), claimed.lastSeq(), List.of(new JobEvent.ArtifactCreated("artifact-1", "outline", "Outline", 0),
                    new JobEvent.ArtifactDelta("artifact-1", "Half an outl")));
            test.run(api, job.id(), clock);
        }
    }

    private interface TestBody {
        void run(Api api, String jobId, SettableClock clock) throws Exception;
    }

    @Test
    void cancellingAJobNobodyHoldsCancelsItAtOnceAndDiscardsItsPartialArtifact() throws Exception {
        withAbandonedJob((api, jobId, clock) -> {
            clock.advance(LEASE.plusMillis(1));

            assertThat(api.post("/api/jobs/" + jobId + "/cancel", "").status()).isEqualTo(200);

            assertThat(api.job(jobId).status()).isEqualTo(JobStatus.CANCELLED);
            List<JobEvent> log = api.fullLog(jobId).stream().map(SseEvent::logged).map(e -> e.event()).toList();
            assertThat(log.get(log.size() - 2)).isInstanceOfSatisfying(JobEvent.ArtifactDiscarded.class,
                    d -> assertThat(d.artifactId()).isEqualTo("artifact-1"));
            assertThat(log.getLast()).isInstanceOfSatisfying(JobEvent.Status.class,
                    s -> assertThat(s.status()).isEqualTo(JobStatus.CANCELLED));
        });
    }

    @Test
    void cancellingAJobAWorkerHoldsIsOnlyRequested() throws Exception {
        withAbandonedJob((api, jobId, clock) -> {
            clock.advance(LEASE.minusMillis(1));

            assertThat(api.post("/api/jobs/" + jobId + "/cancel", "").status()).isEqualTo(202);
            assertThat(api.job(jobId).status()).isEqualTo(JobStatus.RUNNING);
        });
    }
}
