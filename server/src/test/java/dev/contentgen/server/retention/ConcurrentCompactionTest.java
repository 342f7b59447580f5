package dev.contentgen.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.config.RetentionPolicy;
import dev.contentgen.server.notify.LocalNotifier;
import dev.contentgen.server.store.Database;
import dev.contentgen.server.store.Retention;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.RenderedJob;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Compaction beside everything else: two compactors at once, and streams and appends while it runs. */
@ParameterizedClass
@EnumSource(TestStore.class)
class ConcurrentCompactionTest {
    private static final Clock LATER = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));

    @Parameter
    TestStore store;

    @TempDir
    Path dir;
    Node node;
    Database second;

    @AfterEach
    void stop() {
        if (second != null) {
            second.close();
        }
        node.close();
    }

    @Test
    void twoCompactorsAtOnceCompactEachJobOnce() throws Exception {
        Config config = store.config(dir);
        node = new Node(config).start();
        Api api = new Api(TestNodes.uri(node));
        List<String> jobs = new ArrayList<>();
        long deltas = 0;
        for (int i = 0; i < 12; i++) {
            Job job = api.createJob(Map.of("topic", "Compacted once, number " + i, "length", "short"));
            deltas += api.fullLog(job.id()).stream().filter(e -> e.event().equals("artifact.delta")).count();
            jobs.add(job.id());
        }
        // On PostgreSQL the second compactor is another node's: its own pool and store on the same database.
        Retention first = new Retention(node.database().jdbi(), node.database().dialect(), LATER, node.store());
        Retention other = first;
        if (store == TestStore.POSTGRESQL) {
            second = TestStore.open(config, UnaryOperator.identity());
            Store secondStore = new Store(second.jdbi(), second.dialect(), LATER, new SimpleMeterRegistry(), new LocalNotifier());
            other = new Retention(second.jdbi(), second.dialect(), LATER, secondStore);
        }
        CyclicBarrier together = new CyclicBarrier(2);
        List<Retention.Pass> passes = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Retention.Pass>> running = new ArrayList<>();
            for (Retention retention : List.of(first, other)) {
                running.add(pool.submit(() -> {
                    together.await();
                    return retention.run(RetentionPolicy.defaults());
                }));
            }
            for (Future<Retention.Pass> pass : running) {
                passes.add(pass.get());
            }
        }

        assertThat(passes.stream().mapToInt(Retention.Pass::compacted).sum()).as("each job compacted by one of them").isEqualTo(jobs.size());
        assertThat(passes.stream().mapToLong(Retention.Pass::eventsDropped).sum()).isEqualTo(deltas);
        long left = node.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM job_events WHERE type = 'artifact.delta'").mapTo(Long.class).one());
        assertThat(left).isZero();
    }

    @Test
    void compactingWhileStreamsReplayAndJobsAppendLosesNothingAndDoublesNothing() throws Exception {
        // A small event cache, so replays read the log from the store while it is being compacted.
        node = new Node(store.config(dir).toBuilder().tokensPerSecond(2000).eventCache(16).build()).start();
        Api api = new Api(TestNodes.uri(node));
        Map<String, RenderedJob> finished = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            Job job = api.createJob(Map.of("topic", "Finished before compaction " + i, "length", "short"));
            finished.put(job.id(), RenderedJob.of(api.fullLog(job.id())));
        }
        List<String> live = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            live.add(api.createJob(Map.of("topic", "Appending during compaction " + i, "length", "short")).id());
        }
        Retention retention = new Retention(node.database().jdbi(), node.database().dialect(), LATER, node.store());
        AtomicBoolean streaming = new AtomicBoolean(true);
        int compacted = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> compactor = pool.submit(() -> {
                int n = 0;
                while (streaming.get()) {
                    n += retention.run(RetentionPolicy.defaults()).compacted();
                }
                return n;
            });
            List<Future<Map.Entry<String, List<SseEvent>>>> reads = new ArrayList<>();
            Random random = new Random(11);
            for (String id : live) {
                reads.add(pool.submit(read(api, id, null)));
            }
            for (int round = 0; round < 5; round++) {
                for (String id : finished.keySet()) {
                    reads.add(pool.submit(read(api, id, round == 0 ? null : (long) random.nextInt(40))));
                }
            }
            List<Map.Entry<String, List<SseEvent>>> results = new ArrayList<>();
            for (Future<Map.Entry<String, List<SseEvent>>> read : reads) {
                results.add(read.get());
            }
            streaming.set(false);
            // A job that finished as the last read ended may have been after the compactor's last pass: the next one takes it.
            compacted = compactor.get() + retention.run(RetentionPolicy.defaults()).compacted();
            for (Map.Entry<String, List<SseEvent>> result : results) {
                List<Long> seqs = result.getValue().stream().filter(e -> !e.isError()).map(SseEvent::seq).toList();
                assertThat(seqs).as("strictly increasing: nothing twice").isSorted().doesNotHaveDuplicates();
            }
            for (Map.Entry<String, List<SseEvent>> result : results) {
                if (live.contains(result.getKey())) {
                    assertThat(RenderedJob.of(result.getValue())).as("a live stream during compaction")
                            .isEqualTo(RenderedJob.of(api.fullLog(result.getKey())));
                }
            }
        }
        assertThat(compacted).as("every job, finished ones and those that finished meanwhile").isEqualTo(finished.size() + live.size());
        for (Map.Entry<String, RenderedJob> job : finished.entrySet()) {
            assertThat(RenderedJob.of(api.fullLog(job.getKey()))).as("after compaction").isEqualTo(job.getValue());
        }
    }

    /** Reads a stream to its end from {@code after}, prefixed with the whole log up to it, as a reconnecting client holds it. */
    private static Callable<Map.Entry<String, List<SseEvent>>> read(Api api, String jobId, Long after) {
        return () -> {
            try (SseStream stream = api.events(jobId, after)) {
                List<SseEvent> received = stream.status() == 204 ? List.of() : stream.readAll();
                return Map.entry(jobId, received);
            }
        };
    }
}
