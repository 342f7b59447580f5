package dev.contentgen.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FaultyDataSource;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.SettableClock;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A store outage longer than the lease leaves the job resumable, and no driver text reaches a user. */
@ParameterizedClass
@EnumSource(TestStore.class)
class StoreOutageTest {
    @Parameter
    TestStore kind;
    @TempDir
    Path dir;

    @Test
    void anOutageLongerThanTheLeaseLeavesTheJobToBeResumedAndItCompletes() throws Exception {
        AtomicReference<FaultyDataSource> faults = new AtomicReference<>();
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch gate = provider.gateAt("section", 5);
        SettableClock clock = new SettableClock();
        Duration lease = kind.config(dir).lease();
        try (Node node = new Node(kind.config(dir)).provider(provider).clock(clock)
                .dataSourceWrapper(real -> {
                    faults.set(new FaultyDataSource(real));
                    return faults.get();
                }).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "A long night without a database"));
            assertThat(provider.awaitGateReached(Duration.ofSeconds(30))).isTrue();

            faults.get().down(true);
            gate.countDown();
            // Time passes, with the store away, until the worker's retries have given up on it.
            while (!api.get("/metrics").body().contains("contentgen_jobs_interrupted_total{reason=\"store_unavailable\"} 1")) {
                clock.advance(lease);
                Thread.sleep(50);
            }
            faults.get().down(false);

            List<SseEvent> log = api.fullLog(job.id());
            JobLogAssertions.Rebuilt rebuilt = JobLogAssertions.assertConsistent(log);
            assertThat(log).extracting(e -> e.logged().event()).filteredOn(JobEvent.Status.class::isInstance)
                    .allSatisfy(e -> assertThat(((JobEvent.Status) e).error()).as("no job error").isNull());
            assertThat(rebuilt.terminal().status()).isEqualTo(JobStatus.COMPLETED);
        }
    }
}
