package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.notify.LocalNotifier;
import dev.contentgen.server.store.Database;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoredEvent;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SIGKILL while many jobs' appends share transactions: every event a client received (it is sent
 * only once committed) is in the log, each job's log is whole (seqs 1..last_seq, no half-written
 * batch), and a streaming artifact's text is exactly the deltas that committed. Both stores.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class CrashMidBatchTest {
    private static final int JOBS = 12;

    @Parameter
    TestStore kind;
    @TempDir
    Path dir;

    @Test
    void aNodeKilledMidBatchLosesNoAcknowledgedEventAndLeavesNoHalfWrittenJob() throws Exception {
        Config config = kind.config(dir);
        List<String> args = new ArrayList<>(List.of("--tokens-per-second", "300", "--delta-window", "20ms", "--workers", Integer.toString(JOBS)));
        if (kind == TestStore.POSTGRESQL) {
            args.addAll(List.of("--db", config.db()));
        }
        Map<String, List<SseEvent>> received = new ConcurrentHashMap<>();
        AtomicInteger deltas = new AtomicInteger();
        List<Thread> readers = new CopyOnWriteArrayList<>();
        try (NodeProcess node = NodeProcess.start(dir, args.toArray(String[]::new))) {
            Api api = new Api(node.uri());
            for (int i = 0; i < JOBS; i++) {
                String id = api.createJob(Map.of("topic", "Crash in the middle of a batch " + i, "length", "long")).id();
                List<SseEvent> events = new CopyOnWriteArrayList<>();
                received.put(id, events);
                SseStream stream = api.events(id, null);
                readers.add(Thread.ofVirtual().start(() -> {
                    try (stream) {
                        SseEvent e;
                        while ((e = stream.next()) != null) {
                            events.add(e);
                            if (e.event().equals("artifact.delta")) {
                                deltas.incrementAndGet();
                            }
                        }
                    } catch (Exception cut) {
                        // The node died under the stream.
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (deltas.get() < JOBS * 20 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(deltas.get()).as("the jobs were streaming when the node was killed").isGreaterThanOrEqualTo(JOBS * 20);
            node.kill();
        }
        for (Thread reader : readers) {
            reader.join(10_000);
        }

        try (Database database = TestStore.open(config, UnaryOperator.identity())) {
            Store store = new Store(database.jdbi(), database.dialect(), Clock.systemUTC(), new SimpleMeterRegistry(), new LocalNotifier());
            for (Map.Entry<String, List<SseEvent>> entry : received.entrySet()) {
                String jobId = entry.getKey();
                List<StoredEvent> log = store.readEvents(jobId, 0, 100_000);
                assertThat(log).extracting(StoredEvent::seq).as("job %s: a whole log, no gap", jobId)
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, log.size()).boxed().toList());
                assertThat(store.findHead(jobId).orElseThrow().lastSeq()).as("job %s: its row agrees with its log", jobId).isEqualTo(log.size());
                for (SseEvent seen : entry.getValue().stream().filter(e -> !e.isError()).toList()) {
                    assertThat(log.get((int) seen.seq() - 1).data()).as("job %s: acknowledged event %d is in the log as sent", jobId, seen.seq())
                            .isEqualTo(seen.data());
                }
                Job job = store.findJob(jobId).orElseThrow();
                for (Artifact artifact : job.artifacts()) {
                    if (artifact.status() != ArtifactStatus.COMPLETED) {
                        assertThat(artifact.content()).as("job %s: %s artifact's text is its committed deltas", jobId, artifact.status())
                                .isEqualTo(deltasOf(log, artifact.id()));
                    }
                }
            }
        }
    }

    private static String deltasOf(List<StoredEvent> log, String artifactId) {
        StringBuilder text = new StringBuilder();
        for (StoredEvent e : log) {
            if (e.type().equals("artifact.delta")
                    && dev.contentgen.api.Json.readEvent(e.data()).event() instanceof JobEvent.ArtifactDelta d && d.artifactId().equals(artifactId)) {
                text.append(d.text());
            }
        }
        return text.toString();
    }

}
