package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Scrape;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What opening a stream costs the store: a crowd opening streams on one running job reads the job's row about once a
 * second, not once per stream, and what that saves never changes an answer (a finished job still answers 204 to a
 * client that has its end, and the rest of its log to one that has not).
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class OpeningCostTest {
    private static final int STREAMS = 100;

    @Parameter
    TestStore store;
    @TempDir
    Path dir;

    @Test
    void aCrowdOpeningStreamsOnOneJobReadsItsRowAboutOnceASecond() throws Exception {
        try (Node node = new Node(store.config(dir).withWorkers(0).withHeadCheck(Duration.ofMinutes(10))).start();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob("Watched by a crowd");
            double before = headReads(api);
            long started = System.nanoTime();
            List<Future<SseStream>> opening = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                opening.add(clients.submit(() -> {
                    SseStream stream = api.events(job.id(), null);
                    assertThat(stream.status()).isEqualTo(200);
                    assertThat(stream.next().seq()).as("the job's first event").isEqualTo(1);
                    return stream;
                }));
            }
            for (Future<SseStream> stream : opening) {
                stream.get().close();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            // A read serves the openings of the next second; before, each opening read the row itself (100 reads).
            assertThat(headReads(api) - before).isBetween(1.0, Math.ceil(seconds) + 1);
        }
    }

    @Test
    void aJobThatEndedAfterItsHeadWasReadStillAnswersEachResumePointRight() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch gate = provider.gateAt("outline", 2);
        try (Node node = new Node(store.config(dir).withWorkers(1)).provider(provider).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob("Ends while watched");
            assertThat(provider.awaitGateReached(Duration.ofSeconds(10))).isTrue();
            List<SseEvent> whole;
            try (SseStream running = api.events(job.id(), null)) {
                // Opened on the running job: its head is the one the next openings may reuse.
                assertThat(running.status()).isEqualTo(200);
                gate.countDown();
                whole = running.readAll();
            }
            long end = whole.getLast().seq();
            assertThat(whole.getLast().logged().event()).isInstanceOfSatisfying(JobEvent.Status.class,
                    status -> assertThat(status.status()).isEqualTo(JobStatus.COMPLETED));
            try (SseStream caughtUp = api.events(job.id(), end)) {
                assertThat(caughtUp.status()).as("a client that has the end: nothing to send").isEqualTo(204);
            }
            long middle = whole.get(whole.size() / 2).seq();
            try (SseStream behind = api.events(job.id(), middle)) {
                assertThat(behind.status()).isEqualTo(200);
                List<SseEvent> rest = behind.readAll();
                assertThat(rest.getFirst().seq()).isEqualTo(middle + 1);
                assertThat(rest.getLast().seq()).isEqualTo(end);
            }
        }
    }

    private static double headReads(Api api) {
        return Scrape.of(api).sum("contentgen_store_head_reads_total");
    }
}
