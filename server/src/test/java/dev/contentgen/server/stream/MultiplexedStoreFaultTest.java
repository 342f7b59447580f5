package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FaultyDataSource;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.Keys;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Guarantee 4 on a multiplexed stream: the store's trouble is a stream-level error, and every job resumes where it was. */
@ParameterizedClass
@EnumSource(TestStore.class)
class MultiplexedStoreFaultTest {
    @Parameter
    TestStore store;
    @TempDir
    Path dir;

    @Test
    void anUnreadableLogYieldsStreamLevelErrorsThenEveryJobCatchesUpAndCompletes() throws Exception {
        AtomicReference<FaultyDataSource> faults = new AtomicReference<>();
        ScriptedProvider provider = new ScriptedProvider().pace(Duration.ofMillis(2));
        try (Node node = new Node(store.config(dir).withWorkers(2)).provider(provider)
                .dataSourceWrapper(real -> {
                    faults.set(new FaultyDataSource(real));
                    return faults.get();
                }).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job a = api.createJob(Map.of("topic", "Blinking A"));
            Job b = api.createJob(Map.of("topic", "Blinking B"));
            // Failing before the stream opens: the node that writes the jobs' events hands them to their
            // feeds without a read, so only a stream that must read the log (from its start) meets the fault.
            faults.get().failStatementsContaining("FROM job_events");
            try (SseStream stream = api.multiplexed("job=" + a.id() + "&job=" + b.id(), null)) {
                List<SseEvent> received = new ArrayList<>();
                List<SseEvent> errors = new ArrayList<>();
                while (errors.size() < 2) {
                    SseEvent e = stream.next();
                    received.add(e);
                    if (e.isError()) {
                        errors.add(e);
                    }
                }
                faults.get().failStatementsContaining(null);
                received.addAll(stream.readAllWithin(Duration.ofSeconds(60)));
                for (SseEvent error : errors) {
                    assertThat(error.id()).as("error events move no resume point").isNull();
                    assertThat(Vector.jobOf(error)).as("about the stream, not one job").isNull();
                    assertThat(error.data()).contains("STORE_UNAVAILABLE").contains("\"retryable\":true");
                }
                Map<String, List<SseEvent>> byJob = Vector.byJob(received);
                for (Job job : List.of(a, b)) {
                    assertThat(byJob.get(job.id())).containsExactlyElementsOf(api.fullLog(job.id()));
                    JobLogAssertions.assertConsistent(byJob.get(job.id()));
                }
            }
        }
    }

    @Test
    void aMultiplexedStreamOpenedWhileTheStoreCannotCheckTheKeyGetsARetryableErrorNot503() throws Exception {
        AtomicReference<FaultyDataSource> faults = new AtomicReference<>();
        try (Node node = new Node(store.config(dir).withWorkers(0).withAuth(AccessMode.Setting.KEYS))
                .dataSourceWrapper(real -> {
                    faults.set(new FaultyDataSource(real));
                    return faults.get();
                }).start()) {
            Api alice = new Api(TestNodes.uri(node)).withKey(Keys.create(node, "alice", false));
            Job job = alice.createJob("Through the outage");
            faults.get().down(true);
            try (SseStream stream = alice.multiplexed("job=" + job.id() + "&list=1", null)) {
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.readAll()).singleElement().satisfies(e -> {
                    assertThat(e.isError()).isTrue();
                    assertThat(e.data()).contains("STORE_UNAVAILABLE").contains("\"retryable\":true");
                });
                assertThat(stream.retryMillis()).isNotNull();
            }
            faults.get().down(false);
            try (SseStream stream = alice.multiplexed("job=" + job.id(), null)) {
                assertThat(stream.next().id()).isEqualTo("1");
            }
        }
    }
}
