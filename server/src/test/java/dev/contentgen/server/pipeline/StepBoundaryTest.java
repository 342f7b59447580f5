package dev.contentgen.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobRequest;
import dev.contentgen.server.pipeline.format.Formats;
import dev.contentgen.server.pipeline.providers.RetryPolicy;
import dev.contentgen.server.store.ClaimedJob;
import dev.contentgen.server.usage.PriceTable;
import dev.contentgen.server.usage.UsageMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A step's "completed" goes out in the same append as the next step's first event, so a step
 * boundary costs one commit; the last step's still reaches the log before the run returns.
 */
class StepBoundaryTest {
    private final List<List<JobEvent>> appends = new CopyOnWriteArrayList<>();
    private final Pipeline pipeline = new Pipeline(new Providers(new OfflineProvider(0), List.of("offline")),
            Formats.load(null, OfflineProvider.WRITERS), RetryPolicy.standard(3), Sleeper.REAL, Clock.systemUTC(), Duration.ofMillis(100),
            PriceTable.NONE, new UsageMeters(new SimpleMeterRegistry()));
    private final ClaimedJob job = new ClaimedJob("0190a0b0-0000-7000-8000-000000000001", JobRequest.of("Step boundaries"), 1, 0, 2,
            List.of(), 1);

    @Test
    void eachCompletedStepSharesItsAppendWithTheNextStepsProgressAndTheLastIsAppendedBeforeTheRunEnds() throws Exception {
        pipeline.run(job, appends::add, new RunControl());

        List<JobEvent> events = appends.stream().flatMap(List::stream).toList();
        long steps = events.stream().filter(e -> e instanceof JobEvent.ArtifactCompleted).count();
        assertThat(steps).isGreaterThan(2);
        List<List<JobEvent>> boundaries = appends.stream().filter(a -> a.stream().anyMatch(e -> e instanceof JobEvent.ArtifactCompleted)).toList();
        assertThat(boundaries).hasSize((int) steps);
        for (List<JobEvent> boundary : boundaries.subList(0, boundaries.size() - 1)) {
            assertThat(boundary.getLast()).as("the next step's progress follows the completed step in one append")
                    .isInstanceOf(JobEvent.Progress.class);
        }
        assertThat(events.getLast()).as("the last step's completed is in the log when the run returns")
                .isInstanceOf(JobEvent.ArtifactCompleted.class);
    }

    @Test
    void anAssembledArtifactGoesOutInOneAppendWithItsDeltasAsTokenByToken() throws Exception {
        pipeline.run(job, appends::add, new RunControl());

        List<JobEvent> events = appends.stream().flatMap(List::stream).toList();
        JobEvent.ArtifactCreated assembled = events.stream().filter(e -> e instanceof JobEvent.ArtifactCreated)
                .map(e -> (JobEvent.ArtifactCreated) e).reduce((first, second) -> second).orElseThrow();
        List<JobEvent> append = appends.stream().filter(a -> a.contains(assembled)).findFirst().orElseThrow();
        List<JobEvent.ArtifactDelta> deltas = events.stream().filter(e -> e instanceof JobEvent.ArtifactDelta d
                && d.artifactId().equals(assembled.artifactId())).map(e -> (JobEvent.ArtifactDelta) e).toList();
        JobEvent.ArtifactCompleted completed = events.stream().filter(e -> e instanceof JobEvent.ArtifactCompleted c
                && c.artifactId().equals(assembled.artifactId())).map(e -> (JobEvent.ArtifactCompleted) e).findFirst().orElseThrow();

        assertThat(deltas).as("the piece is longer than one delta").hasSizeGreaterThan(1);
        assertThat(append).as("created, every delta and completed share one append").containsAll(deltas).contains(completed);
        assertThat(deltas).allSatisfy(d -> assertThat(d.text().length()).isLessThanOrEqualTo(300 + 40));
        assertThat(deltas.stream().map(JobEvent.ArtifactDelta::text).reduce("", String::concat)).isEqualTo(completed.content());
    }
}
