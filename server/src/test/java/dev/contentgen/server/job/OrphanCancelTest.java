package dev.contentgen.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.server.store.CancelOutcome;
import dev.contentgen.server.store.ClaimedJob;
import dev.contentgen.server.store.Database;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.stream.LocalNotifier;
import dev.contentgen.server.testing.SettableClock;
import dev.contentgen.server.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A cancel of a running job nobody holds (its lease ran out) takes effect at once; a held one stays cooperative. */
@ParameterizedClass
@EnumSource(TestStore.class)
class OrphanCancelTest {
    private static final long LEASE = 5_000;

    @Parameter
    TestStore kind;
    @TempDir
    Path dir;
    Database database;
    Store store;
    SettableClock clock = new SettableClock();
    JobService jobs;

    @BeforeEach
    void open() {
        database = kind.open(dir, UnaryOperator.identity());
        store = new Store(database.jdbi(), database.dialect(), clock, new SimpleMeterRegistry());
        jobs = new JobService(store, new LocalNotifier(), new RunningJobs());
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** A job whose worker streamed half an outline and then died. */
    private ClaimedJob runningWithAPartialArtifact() {
        store.createJob(JobRequest.of("Abandoned mid-outline"), null);
        ClaimedJob job = store.claimNext("dead-node", LEASE).orElseThrow();
        store.append(job.run(), job.lastSeq(), List.of(new JobEvent.ArtifactCreated("artifact-1", "outline", "Outline", 0),
                new JobEvent.ArtifactDelta("artifact-1", "Half an outl")));
        return job;
    }

    @Test
    void cancellingAJobNobodyHoldsCancelsItAtOnceAndDiscardsItsPartialArtifact() {
        ClaimedJob job = runningWithAPartialArtifact();
        clock.advance(Duration.ofMillis(LEASE + 1));

        assertThat(jobs.cancel(job.id())).isEqualTo(CancelOutcome.CANCELLED);

        assertThat(store.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        List<JobEvent> log = store.readEvents(job.id(), 0, 100).stream().map(e -> Json.readEvent(e.data()).event()).toList();
        assertThat(log.get(log.size() - 2)).isInstanceOfSatisfying(JobEvent.ArtifactDiscarded.class,
                d -> assertThat(d.artifactId()).isEqualTo("artifact-1"));
        assertThat(log.getLast()).isInstanceOfSatisfying(JobEvent.Status.class,
                s -> assertThat(s.status()).isEqualTo(JobStatus.CANCELLED));
    }

    @Test
    void cancellingAJobAWorkerHoldsIsOnlyRequested() {
        ClaimedJob job = runningWithAPartialArtifact();
        clock.advance(Duration.ofMillis(LEASE - 1));

        assertThat(jobs.cancel(job.id())).isEqualTo(CancelOutcome.REQUESTED);
        assertThat(store.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }
}
