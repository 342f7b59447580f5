package dev.contentgen.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.store.Database;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.SettableClock;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run that stalls past its lease while its own node rescues and re-claims the job (a GC pause,
 * a suspended VM) cannot write when it wakes, and its exit leaves the new run's controls alone.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class StalledRunTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Parameter
    TestStore kind;
    @TempDir
    Path dir;

    @Test
    void aStalledRunCannotWriteAfterItsOwnNodeReclaimedTheJobAndTheNewRunKeepsItsCancel() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch firstRun = provider.gateCall(1, 3);
        CountDownLatch secondRun = provider.gateCall(2, 3);
        SettableClock clock = new SettableClock();
        Config config = kind.config(dir);
        try (Node node = new Node(config).provider(provider).clock(clock).start();
             Database beside = TestStore.open(config, UnaryOperator.identity())) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Paused in the middle"));
            assertThat(provider.awaitCallGated(1, WAIT)).isTrue();

            // The first run stalls past its lease, the whole node with it (so nothing renews the lease); on waking, the
            // node's rescuer re-queues the job before the stalled run goes on, and a worker of the node claims it again.
            clock.advance(config.lease().plusSeconds(1));
            Store store = new Store(beside.jdbi(), beside.dialect(), clock, new SimpleMeterRegistry(), node.notifier());
            assertThat(new Rescuer(node.id(), store, 5, config.lease()).rescue(true)).isEqualTo(1);
            assertThat(provider.awaitCallGated(2, WAIT)).isTrue();

            firstRun.countDown();
            awaitMetric(api, "contentgen_jobs_interrupted_total{reason=\"lease_lost\"} 1");

            assertThat(api.post("/api/jobs/" + job.id() + "/cancel", "").status()).isEqualTo(202);
            secondRun.countDown();

            JobLogAssertions.Rebuilt log = JobLogAssertions.assertConsistent(api.fullLog(job.id()));
            assertThat(log.terminal().status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(log.terminal().attempt()).isEqualTo(2);
        }
    }

    private static void awaitMetric(Api api, String line) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!api.get("/metrics").body().contains(line)) {
            assertThat(System.nanoTime() < deadline).as("waiting for metric %s", line).isTrue();
            Thread.sleep(20);
        }
    }
}
