package dev.contentgen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.contentgen.api.Format;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.Length;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.api.Tone;
import dev.contentgen.client.testing.TestClients;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.RetentionPolicy;
import dev.contentgen.server.store.Retention;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.RenderedJob;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK and a compacted job: a snapshot, then the rest, rendering the same article (docs/PROTOCOL.md, "Snapshots"). */
class SnapshotTest {
    @TempDir
    Path dir;

    @Test
    void theSdkTakesASnapshotOfACompactedJobAndEndsWithTheSameArticle() throws Exception {
        try (Node node = new Node(TestNodes.config(dir)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            Job job = client.jobs().create(new JobRequest("Snapshots in the SDK", Format.ARTICLE, Tone.NEUTRAL, Length.SHORT, null, null, null));
            List<SseEvent> full = new Api(TestNodes.uri(node)).fullLog(job.id());
            new Retention(node.database().jdbi(), node.database().dialect(), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)),
                    node.store()).run(RetentionPolicy.defaults());

            for (long after : List.of(0L, 3L, full.size() / 2L)) {
                List<LoggedEvent> received = new ArrayList<>();
                try (EventStream events = client.jobs().events(job.id(), after)) {
                    events.forEach(received::add);
                    assertThat(events.lastSeq()).isEqualTo(full.getLast().seq());
                }
                assertThat(received.getFirst().event()).as("after %d", after).isInstanceOf(JobEvent.Snapshot.class);
                List<SseEvent> seen = new ArrayList<>(full.subList(0, (int) after));
                seen.addAll(TestClients.asSse(received));
                assertThat(RenderedJob.of(seen)).isEqualTo(RenderedJob.of(full));
            }
        }
    }

    @Test
    void aDeletedJobIsNotFound() throws Exception {
        try (Node node = new Node(TestNodes.config(dir)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            Job job = client.jobs().create(new JobRequest("Deleted from the SDK", Format.ARTICLE, Tone.NEUTRAL, Length.SHORT, null, null, null));
            client.jobs().delete(job.id());
            assertThatThrownBy(() -> client.jobs().get(job.id()))
                    .isInstanceOfSatisfying(ContentGenException.class, e -> assertThat(e.failure())
                            .isInstanceOf(Failure.JobNotFound.class));
        }
    }
}
