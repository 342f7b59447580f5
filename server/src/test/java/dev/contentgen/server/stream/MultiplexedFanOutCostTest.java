package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Scrape;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import dev.contentgen.server.testing.Vector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * One database read per new event per node still, when a job is watched by per-job streams and by
 * multiplexed streams at once: the multiplexed stream's cursors share the job's feed with the others.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class MultiplexedFanOutCostTest {
    private static final int EACH = 20;

    @Parameter
    TestStore store;
    @TempDir
    Path dir;

    @Test
    void perJobAndMultiplexedStreamsOnOneJobCostAboutOneReadPerEvent() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch gate = provider.gateAt("outline", 0);
        try (Node node = new Node(store.config(dir)).provider(provider).start();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Watched both ways"));
            CountDownLatch connected = new CountDownLatch(2 * EACH);
            List<Future<List<SseEvent>>> perJob = new ArrayList<>();
            List<Future<List<SseEvent>>> multiplexed = new ArrayList<>();
            for (int i = 0; i < EACH; i++) {
                perJob.add(clients.submit(() -> {
                    try (SseStream s = api.events(job.id(), null)) {
                        List<SseEvent> events = new ArrayList<>(List.of(s.next()));
                        connected.countDown();
                        events.addAll(s.readAll());
                        return events;
                    }
                }));
                multiplexed.add(clients.submit(() -> {
                    try (SseStream s = api.multiplexed("job=" + job.id(), null)) {
                        List<SseEvent> events = new ArrayList<>(List.of(s.next()));
                        connected.countDown();
                        events.addAll(s.readAll());
                        return Vector.byJob(events).get(job.id());
                    }
                }));
            }
            connected.await();
            double readsBefore = Scrape.of(api).sum("contentgen_store_events_read_total");
            gate.countDown();
            List<SseEvent> first = perJob.getFirst().get();
            for (Future<List<SseEvent>> log : perJob) {
                assertThat(log.get()).containsExactlyElementsOf(first);
            }
            for (Future<List<SseEvent>> log : multiplexed) {
                assertThat(log.get()).as("a multiplexed stream carries the same events").containsExactlyElementsOf(first);
            }
            double reads = Scrape.of(api).sum("contentgen_store_events_read_total") - readsBefore;
            int liveEvents = first.size() - 1;
            // Each of the 40 streams reading for itself would cost 40 × events; the feed reads each once.
            assertThat(reads).as("events read from the store for %d live events", liveEvents).isLessThanOrEqualTo(liveEvents * 1.5);
        }
    }
}
