package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.LogCapture;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import dev.contentgen.server.testing.Vector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A multiplexed stream's life: heartbeats, a job deleted while streaming, the node draining, and what it logs. */
@ParameterizedClass
@EnumSource(TestStore.class)
class MultiplexedStreamLifeTest {
    @Parameter
    TestStore store;
    @TempDir
    Path dir;

    @Test
    void aQuietMultiplexedStreamAndAJobListStreamGetHeartbeats() throws Exception {
        var provider = new ScriptedProvider().silentBefore("outline", Duration.ofMillis(2500));
        try (Node node = new Node(store.config(dir).withHeartbeat(Duration.ofMillis(300)).withWorkers(2)).provider(provider).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job a = api.createJob(Map.of("topic", "Quiet A", "length", "short"));
            Job b = api.createJob(Map.of("topic", "Quiet B", "length", "short"));
            try (SseStream stream = api.multiplexed("job=" + a.id() + "&job=" + b.id(), null)) {
                List<SseEvent> events = new ArrayList<>(stream.readUntil(e -> e.event().equals("artifact.delta")));
                int keepalivesDuringSilence = stream.comments().size();
                events.addAll(stream.readAllWithin(Duration.ofSeconds(60)));
                // 2.5 s of silence at a 300 ms interval: about 8 keepalives; a stream without heartbeats has none.
                assertThat(keepalivesDuringSilence).isGreaterThanOrEqualTo(4);
                assertThat(stream.comments()).allMatch(c -> c.equals("keepalive"));
                for (Job job : List.of(a, b)) {
                    assertThat(JobLogAssertions.assertConsistent(Vector.byJob(events).get(job.id())).terminal().status())
                            .isEqualTo(JobStatus.COMPLETED);
                }
            }
            try (SseStream list = api.multiplexed("list=1", null)) {
                // Nothing but the list: heartbeats come from the stream itself, not from any job's cursor.
                Thread.ofVirtual().start(() -> {
                    sleep(Duration.ofMillis(1500));
                    api.createJob(Map.of("topic", "Ends the silence", "length", "short"));
                });
                SseEvent item = list.next();
                assertThat(item.event()).isEqualTo("job");
                assertThat(list.comments()).as("keepalives before the first item").hasSizeGreaterThanOrEqualTo(2)
                        .allMatch(c -> c.equals("keepalive"));
            }
        }
    }

    @Test
    void aJobDeletedWhileStreamingEndsItsPartWithJobDeletedAndTheOtherGoesOn() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch gate = provider.gateAt("outline", 0);
        try (LogCapture logs = new LogCapture();
             Node node = new Node(store.config(dir).withWorkers(2)).provider(provider).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job doomed = api.createJob(Map.of("topic", "Deleted midway", "length", "short"));
            Job kept = api.createJob(Map.of("topic", "Carries on", "length", "short"));
            List<SseEvent> received = new ArrayList<>();
            try (SseStream stream = api.multiplexed("job=" + doomed.id() + "&job=" + kept.id(), null)) {
                // Both jobs have begun before one is deleted.
                while (Vector.byJob(received).size() < 2) {
                    received.add(stream.next());
                }
                assertThat(api.delete("/api/jobs/" + doomed.id()).status()).isEqualTo(204);
                received.addAll(stream.readUntil(SseEvent::isError));
                SseEvent deleted = received.removeLast();
                assertThat(deleted.isError()).isTrue();
                assertThat(Vector.jobOf(deleted)).isEqualTo(doomed.id());
                assertThat(deleted.data()).contains("JOB_DELETED").contains("\"retryable\":false");
                gate.countDown();
                received.addAll(stream.readAllWithin(Duration.ofSeconds(60)));
            }
            Map<String, List<SseEvent>> byJob = Vector.byJob(received);
            assertThat(byJob.get(kept.id())).containsExactlyElementsOf(api.fullLog(kept.id()));
            String both = doomed.id() + "," + kept.id();
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("[STREAM_START] job=" + both + " multiplexed=true jobs=2 list=false"))
                    .anyMatch(l -> l.startsWith("[STREAM_END] job=" + doomed.id() + " reason=job_deleted"))
                    .anyMatch(l -> l.startsWith("[STREAM_END] job=" + kept.id() + " reason=job_completed"))
                    .anyMatch(l -> l.startsWith("[STREAM_END] job=" + both + " multiplexed=true reason=jobs_ended"));
        }
    }

    @Test
    void aDrainingNodeSaysServerShuttingDownOnceAndEndsTheWholeStream() throws Exception {
        SseStream stream;
        Job a;
        try (Node node = new Node(store.config(dir).withWorkers(0)).start()) {
            Api api = new Api(TestNodes.uri(node));
            a = api.createJob("Waits forever");
            Job b = api.createJob("Waits forever, too");
            stream = api.multiplexed("job=" + a.id() + "&job=" + b.id() + "&list=1", null);
            assertThat(stream.status()).isEqualTo(200);
            List<SseEvent> first = new ArrayList<>();
            while (Vector.byJob(first).size() < 2) {
                first.add(stream.next());
            }
        }
        // The live list's items (event: job) come in their own time: a job created just before the stream opened may be listed
        // after its first events. What the drain adds is the one error.
        List<SseEvent> rest = stream.readAll().stream().filter(e -> !"job".equals(e.event())).toList();
        stream.close();
        assertThat(rest).singleElement().satisfies(e -> {
            assertThat(e.isError()).isTrue();
            assertThat(Vector.jobOf(e)).as("about the stream, not a job").isNull();
            assertThat(e.data()).contains("SERVER_SHUTTING_DOWN").contains("\"retryable\":true");
        });
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
