package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
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

/** DESIGN.md: one database read per new event per node, however many subscribers watch the job. */
@ParameterizedClass
@EnumSource(TestStore.class)
class FanOutCostTest {
    private static final int SUBSCRIBERS = 50;

    @Parameter
    TestStore store;
    @TempDir
    Path dir;

    @Test
    void fiftySubscribersCostAboutOneReadPerEvent() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch gate = provider.gateAt("outline", 0);
        try (Node node = new Node(store.config(dir)).provider(provider).start();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Many eyes, one read"));
            CountDownLatch connected = new CountDownLatch(SUBSCRIBERS);
            List<Future<List<SseEvent>>> logs = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                logs.add(clients.submit(() -> {
                    try (SseStream s = api.events(job.id(), null)) {
                        List<SseEvent> events = new ArrayList<>(List.of(s.next()));
                        connected.countDown();
                        events.addAll(s.readAll());
                        return events;
                    }
                }));
            }
            connected.await();
            double readsBefore = eventsRead(api);
            gate.countDown();
            List<SseEvent> first = logs.getFirst().get();
            for (Future<List<SseEvent>> log : logs) {
                assertThat(log.get()).containsExactlyElementsOf(first);
            }
            double reads = eventsRead(api) - readsBefore;
            int liveEvents = first.size();
            // Each subscriber reading for itself would cost SUBSCRIBERS × events; the hub reads each once.
            assertThat(reads).as("events read from the store for %d live events", liveEvents)
                    .isLessThanOrEqualTo(liveEvents * 1.5);
        }
    }

    @Test
    void theNodeThatWritesTheEventsReadsNoneOfThemBack() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch gate = provider.gateAt("outline", 0);
        try (Node node = new Node(store.config(dir)).provider(provider).start();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Written here, read from memory"));
            CountDownLatch connected = new CountDownLatch(5);
            List<Future<List<SseEvent>>> logs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                logs.add(clients.submit(() -> {
                    try (SseStream s = api.events(job.id(), null)) {
                        List<SseEvent> events = new ArrayList<>(List.of(s.next()));
                        connected.countDown();
                        events.addAll(s.readAll());
                        return events;
                    }
                }));
            }
            connected.await();
            double readsBefore = eventsRead(api);
            gate.countDown();
            List<SseEvent> first = logs.getFirst().get();
            for (Future<List<SseEvent>> log : logs) {
                assertThat(log.get()).containsExactlyElementsOf(first);
            }
            assertThat(first).containsExactlyElementsOf(api.fullLog(job.id()));
            int liveEvents = first.size() - 1;
            // Its commit hands the events to the job's feed; a read happens only if a notification outran
            // that hand-over (PostgreSQL's LISTEN connection), so allow a few, far below one per event.
            assertThat(eventsRead(api) - readsBefore).as("events read back from the store for %d live events", liveEvents)
                    .isLessThanOrEqualTo(liveEvents / 10.0);
        }
    }

    private static double eventsRead(Api api) {
        String metrics = api.get("/metrics").body();
        return metrics.lines().filter(l -> l.startsWith("contentgen_store_events_read_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
