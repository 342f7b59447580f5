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
        try (Node node = new Node(store.config(dir)).provider(provider).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Many eyes, one read"));
            Watched watched = watchLive(api, job, SUBSCRIBERS, gate);
            int liveEvents = watched.log().size();
            // Each subscriber reading for itself would cost SUBSCRIBERS × events; the hub reads each once.
            assertThat(watched.eventsRead()).as("events read from the store for %d live events", liveEvents)
                    .isLessThanOrEqualTo(liveEvents * 1.5);
        }
    }

    @Test
    void theNodeThatWritesTheEventsReadsNoneOfThemBack() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch gate = provider.gateAt("outline", 0);
        try (Node node = new Node(store.config(dir)).provider(provider).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Written here, read from memory"));
            Watched watched = watchLive(api, job, 5, gate);
            assertThat(watched.log()).containsExactlyElementsOf(api.fullLog(job.id()));
            int liveEvents = watched.log().size() - 1;
            // Its commit hands the events to the job's feed; a read happens only if a notification outran
            // that hand-over (PostgreSQL's LISTEN connection), so allow a few, far below one per event.
            assertThat(watched.eventsRead()).as("events read back from the store for %d live events", liveEvents)
                    .isLessThanOrEqualTo(liveEvents / 10.0);
        }
    }

    @Test
    void liveEventsReachTheirSubscribersWithoutAThreadEach() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch gate = provider.gateAt("outline", 0);
        try (Node node = new Node(store.config(dir)).provider(provider).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Written to many, a thread for few"));
            Watched watched = watchLive(api, job, SUBSCRIBERS, gate);
            int liveEvents = watched.log().size() - 1;
            assertThat(watched.drainsBefore()).as("every opening drains on a thread of its own").isGreaterThanOrEqualTo(SUBSCRIBERS);
            // A live event written without blocking needs no thread; each stream's end takes one. With a drain thread per
            // delivery this was 300 on SQLite (its events come in bursts that one drain takes at once) and 1,180 on PostgreSQL.
            assertThat(watched.drainsLive()).as("drain threads for %d live events to %d subscribers", liveEvents, SUBSCRIBERS)
                    .isLessThan(SUBSCRIBERS * 3.0);
        }
    }

    /**
     * What every subscriber received (the same log for all), the events the node read from the store meanwhile, and
     * the drain threads started before the live events and during them.
     */
    private record Watched(List<SseEvent> log, double eventsRead, double drainsBefore, double drainsLive) {}

    /** Connects {@code subscribers} streams to the gated job, opens the gate, and reads each stream to its end. */
    private static Watched watchLive(Api api, Job job, int subscribers, CountDownLatch gate) throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch connected = new CountDownLatch(subscribers);
            List<Future<List<SseEvent>>> logs = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
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
            Scrape before = Scrape.of(api);
            gate.countDown();
            List<SseEvent> first = logs.getFirst().get();
            for (Future<List<SseEvent>> log : logs) {
                assertThat(log.get()).containsExactlyElementsOf(first);
            }
            Scrape after = Scrape.of(api);
            return new Watched(first, after.sum("contentgen_store_events_read_total") - before.sum("contentgen_store_events_read_total"),
                    before.sum("contentgen_streams_drains_total"),
                    after.sum("contentgen_streams_drains_total") - before.sum("contentgen_streams_drains_total"));
        }
    }
}
