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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crowd that replays a job from the start reaches far behind the hub's cache of recent events;
 * the older log is read in pages the cursors share, not once per cursor.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class CatchUpCostTest {
    private static final int SUBSCRIBERS = 30;
    private static final int CACHE = 8;

    @Parameter
    TestStore store;
    @TempDir
    Path dir;

    @Test
    void thirtyReplaysFromTheStartReadTheOlderLogOnceNotThirtyTimes() throws Exception {
        // One event per token, and the job held before its summary: a long log that stays open.
        ScriptedProvider provider = new ScriptedProvider().pace(Duration.ofMillis(1));
        CountDownLatch gate = provider.gateAt("summary", 0);
        var config = store.config(dir).withDeltaWindow(Duration.ofMillis(1)).toBuilder().eventCache(CACHE).build();
        try (Node node = new Node(config).provider(provider).start();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Everyone replays at once"));
            assertThat(provider.awaitGateReached(Duration.ofSeconds(60))).isTrue();
            long lastSeq = api.job(job.id()).lastSeq();
            assertThat(lastSeq).as("a log that reaches more than a page behind the cache").isGreaterThan(600);

            try (SseStream holder = api.events(job.id(), null)) {
                List<SseEvent> log = readThrough(holder, lastSeq);
                double readsBefore = eventsRead(api);
                List<Future<List<SseEvent>>> replays = new ArrayList<>();
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    replays.add(clients.submit(() -> {
                        try (SseStream s = api.events(job.id(), null)) {
                            return readThrough(s, lastSeq);
                        }
                    }));
                }
                for (Future<List<SseEvent>> replay : replays) {
                    assertThat(replay.get(60, TimeUnit.SECONDS)).containsExactlyElementsOf(log);
                }
                double reads = eventsRead(api) - readsBefore;
                // Each cursor paging on its own would read ≈ SUBSCRIBERS × lastSeq rows.
                assertThat(reads).as("rows read for %d replays of %d events", SUBSCRIBERS, lastSeq)
                        .isLessThanOrEqualTo(1.5 * lastSeq);
            } finally {
                gate.countDown();
            }
        }
    }

    @Test
    void replaysOneAfterAnotherOfAFinishedJobAreServedFromMemory() throws Exception {
        var config = store.config(dir).toBuilder().eventCache(CACHE).build();
        try (Node node = new Node(config).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Reconnecting one by one", "length", "short"));
            List<SseEvent> log;
            try (SseStream first = api.events(job.id(), null)) {
                log = first.readAll();
            }
            assertThat(log.size()).as("a log that reaches behind a cache of %d", CACHE).isGreaterThan(3 * CACHE);

            double readsBefore = eventsRead(api);
            for (int i = 0; i < 10; i++) {
                // Each replay ends before the next begins: nobody watches the job in between.
                try (SseStream replay = api.events(job.id(), null)) {
                    assertThat(replay.readAll()).containsExactlyElementsOf(log);
                }
            }
            assertThat(eventsRead(api) - readsBefore).as("rows read for 10 replays of %d events", log.size())
                    .isLessThanOrEqualTo(log.size());
        }
    }

    private static List<SseEvent> readThrough(SseStream stream, long lastSeq) throws Exception {
        List<SseEvent> events = new ArrayList<>();
        SseEvent e;
        while ((e = stream.next()) != null) {
            if (e.id() != null) {
                events.add(e);
                if (e.seq() == lastSeq) {
                    break;
                }
            }
        }
        return events;
    }

    private static double eventsRead(Api api) {
        return Scrape.of(api).sum("contentgen_store_events_read_total");
    }
}
