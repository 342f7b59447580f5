package dev.contentgen.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.QueuePosition;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A job that waits says where it stands: the pending jobs created before it, and how busy the
 * workers are, read from the store so that every node of a cluster says the same (README "Queue position").
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class QueuePositionTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    @Test
    void withEveryWorkerBusyEachWaitingJobKnowsHowManyAreAheadOfIt() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch gate = provider.gateAt("outline", 2);
        Config config = store.config(dir).withWorkers(1);
        try (Node node = new Node(config).provider(provider).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job first = api.createJob(Map.of("topic", "Runs first", "length", "short"));
            assertThat(provider.awaitGateReached(Duration.ofSeconds(30))).isTrue();
            Job second = api.createJob(Map.of("topic", "Waits", "length", "short"));
            Job third = api.createJob(Map.of("topic", "Waits longer", "length", "short"));

            assertThat(api.job(first.id()).status()).isEqualTo(JobStatus.RUNNING);
            assertThat(api.job(first.id()).queue()).isNull();
            assertThat(api.job(second.id()).queue()).isEqualTo(new QueuePosition(1, 0, 1, 1));
            assertThat(api.job(third.id()).queue()).isEqualTo(new QueuePosition(2, 1, 1, 1));
            // The list shows no queue (it would cost a count per row); the job's own page does.
            assertThat(api.get("/api/jobs").body()).doesNotContain("\"queue\"");

            if (store == TestStore.POSTGRESQL) {
                // Another node of the cluster, running nothing itself, reads the same queue from the store,
                // and both count the cluster's workers (1 + 0).
                try (Node other = new Node(config.withWorkers(0).withDataDir(dir.resolve("other"))).start()) {
                    Api otherApi = new Api(TestNodes.uri(other));
                    assertThat(otherApi.job(third.id()).queue()).isEqualTo(new QueuePosition(2, 1, 1, 1));
                    assertThat(api.job(third.id()).queue()).isEqualTo(new QueuePosition(2, 1, 1, 1));
                }
            }

            gate.countDown();
            for (Job job : new Job[] {first, second, third}) {
                api.fullLog(job.id());
                Job done = api.job(job.id());
                assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.queue()).isNull();
            }
        }
    }
}
