package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.server.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The choice of a snapshot's seq (docs/PROTOCOL.md, "Snapshots", rule 2), on logs the pipeline does not write today. */
class SnapshotsTest {
    private static final String JOB = "0193aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee";

    @Test
    void theSnapshotWaitsUntilNoArtifactThatLostDeltasIsStillStreaming() {
        List<JobEvent> whole = List.of(
                new JobEvent.Status(JobStatus.PENDING, 1, null, null),
                new JobEvent.Status(JobStatus.RUNNING, 1, null, null),
                new JobEvent.ArtifactCreated("a", "section", "A", 0),
                new JobEvent.ArtifactDelta("a", "x"),
                new JobEvent.ArtifactCreated("b", "section", "B", 1),
                new JobEvent.ArtifactDelta("b", "y"),
                new JobEvent.Progress("section-2", 2, 3, "B"),
                new JobEvent.ArtifactCompleted("b", "section", "B", "y"),
                new JobEvent.ArtifactDiscarded("a", "interrupted"),
                new JobEvent.Status(JobStatus.COMPLETED, 1, null, null));
        List<StoredEvent> kept = new ArrayList<>();
        for (int i = 0; i < whole.size(); i++) {
            if (!(whole.get(i) instanceof JobEvent.ArtifactDelta)) {
                kept.add(stored(i + 1, whole.get(i)));
            }
        }

        StoredEvent snapshot = Snapshots.fold(JOB, 6, kept).orElseThrow();

        assertThat(snapshot.seq()).as("at 7 and 8, artifact a (created before the last dropped delta) still streams").isEqualTo(9);
        assertThat(snapshot.terminal()).isFalse();
        JobEvent.Snapshot state = (JobEvent.Snapshot) Json.readEvent(snapshot.data()).event();
        assertThat(state.status().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(state.progress().step()).isEqualTo("section-2");
        assertThat(state.artifacts()).containsExactly(
                new Artifact("a", "section", "A", 0, ArtifactStatus.DISCARDED, ""),
                new Artifact("b", "section", "B", 1, ArtifactStatus.COMPLETED, "y"));
    }

    @Test
    void aStreamingArtifactThatLostNoDeltasIsCarriedWithItsKeptText() {
        List<StoredEvent> kept = List.of(
                stored(1, new JobEvent.Status(JobStatus.RUNNING, 1, null, null)),
                stored(2, new JobEvent.ArtifactCreated("a", "outline", "Outline", 0)),
                // 3: a dropped delta of a
                stored(4, new JobEvent.ArtifactCompleted("a", "outline", "Outline", "1. One")),
                stored(5, new JobEvent.ArtifactCreated("b", "section", "B", 1)),
                stored(6, new JobEvent.ArtifactDelta("b", "kept text")),
                stored(7, new JobEvent.Status(JobStatus.CANCELLED, 1, null, null)));

        StoredEvent snapshot = Snapshots.fold(JOB, 3, kept).orElseThrow();

        assertThat(snapshot.seq()).isEqualTo(4);
        JobEvent.Snapshot state = (JobEvent.Snapshot) Json.readEvent(snapshot.data()).event();
        assertThat(state.artifacts()).containsExactly(new Artifact("a", "outline", "Outline", 0, ArtifactStatus.COMPLETED, "1. One"));
        assertThat(Snapshots.fold(JOB, 3, kept.subList(0, 2))).as("no exact point yet").isEmpty();
    }

    private static StoredEvent stored(long seq, JobEvent event) {
        String data = Json.writeEvent(new LoggedEvent(seq, JOB, Instant.parse("2026-12-01T12:00:00Z"), event));
        return new StoredEvent(JOB, seq, event.type(), data, event instanceof JobEvent.Status s && s.isTerminal(), 0);
    }
}
