package dev.contentgen.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.server.store.ClaimedJob;
import dev.contentgen.server.store.Database;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoredEvent;
import dev.contentgen.server.notify.LocalNotifier;
import dev.contentgen.server.testing.FaultyDataSource;
import dev.contentgen.server.testing.TestStore;
import dev.contentgen.server.time.Pause;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** An append whose commit went through but whose answer was lost is retried without writing it twice. */
@ParameterizedClass
@EnumSource(TestStore.class)
class AmbiguousCommitTest {
    @Parameter
    TestStore kind;
    @TempDir
    Path dir;
    Database database;
    FaultyDataSource faults;
    Store store;

    @BeforeEach
    void open() {
        AtomicReference<FaultyDataSource> wrapper = new AtomicReference<>();
        database = kind.open(dir, real -> {
            wrapper.set(new FaultyDataSource(real));
            return wrapper.get();
        });
        faults = wrapper.get();
        store = new Store(database.jdbi(), database.dialect(), Clock.systemUTC(), new SimpleMeterRegistry(), new LocalNotifier());
    }

    @AfterEach
    void close() {
        database.close();
    }

    private JobLog logOf(ClaimedJob job) {
        return new JobLog(job.run(), job.lastSeq(), store,
                new StoreRetry(Duration.ofSeconds(30), Clock.systemUTC(), Pause.REAL));
    }

    @Test
    void aRetriedAppendWhoseCommitLandedIsNotWrittenTwice() {
        store.createJob(JobRequest.of("Commits in the fog"), null);
        ClaimedJob job = store.claimNext("node-a", 60_000).orElseThrow();
        JobLog log = logOf(job);
        String artifact = "artifact-1";
        log.append(List.of(new JobEvent.ArtifactCreated(artifact, "outline", "Outline", 0), new JobEvent.ArtifactDelta(artifact, "Hello ")));

        faults.loseCommitAnswers(1);
        log.append(new JobEvent.ArtifactDelta(artifact, "world"));
        assertThat(faults.commitAnswersToLose()).as("the fault was hit").isZero();
        log.append(new JobEvent.ArtifactCompleted(artifact, "outline", "Outline", "Hello world"));

        List<StoredEvent> events = store.readEvents(job.id(), 0, 100);
        String deltas = events.stream().map(e -> Json.readEvent(e.data()).event())
                .filter(JobEvent.ArtifactDelta.class::isInstance).map(e -> ((JobEvent.ArtifactDelta) e).text())
                .reduce("", String::concat);
        assertThat(deltas).as("the deltas add up to the completed text").isEqualTo("Hello world");
    }

    @Test
    void aRetriedEndOfRunWhoseCommitLandedEndsTheRunOnce() throws Exception {
        store.createJob(JobRequest.of("Handed back in the fog"), null);
        ClaimedJob job = store.claimNext("node-a", 60_000).orElseThrow();
        JobLog log = logOf(job);
        log.append(List.of(new JobEvent.ArtifactCreated("artifact-1", "outline", "Outline", 0), new JobEvent.ArtifactDelta("artifact-1", "Half")));

        faults.loseCommitAnswers(1);
        List<StoredEvent> ended = log.end(new JobEvent.Status(JobStatus.PENDING, job.attempt(), null, null), "the node stopped");

        assertThat(faults.commitAnswersToLose()).as("the fault was hit").isZero();
        assertThat(ended).extracting(StoredEvent::type).containsExactly("artifact.discarded", "status");
        assertThat(store.readEvents(job.id(), 0, 100)).extracting(StoredEvent::type)
                .containsExactly("status", "status", "artifact.created", "artifact.delta", "artifact.discarded", "status");
        assertThat(store.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
    }
}
