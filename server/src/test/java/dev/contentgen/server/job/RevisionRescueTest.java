package dev.contentgen.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.store.Database;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A revision whose worker is lost while it writes the regenerated step resumes like any job at its
 * first unfinished step (guarantee 5): the steps it had copied stay, the step runs again, and the
 * rest is still copied from the parent without calling the model.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class RevisionRescueTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Parameter
    TestStore kind;
    @TempDir
    Path dir;

    @Test
    void aRescuedRevisionResumesAndStillCopiesWhatItDoesNotRerun() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        // The parent makes calls 1-5; the revision's section 2 is call 6: held after 10 tokens.
        CountDownLatch stalled = provider.gateCall(6, 10);
        Config config = kind.config(dir);
        try (Node node = new Node(config).provider(provider).start();
             Database beside = TestStore.open(config, UnaryOperator.identity())) {
            Api api = new Api(TestNodes.uri(node));
            Job parent = api.createJob(Map.of("topic", "Lost and found", "length", "short"));
            api.fullLog(parent.id());
            Job revision = api.post("/api/jobs/" + parent.id() + "/regenerate", "{\"step\": \"section-2\", \"instruction\": \"shorter\"}")
                    .as(Job.class);
            assertThat(provider.awaitCallGated(6, WAIT)).isTrue();

            Store store = new Store(beside.jdbi(), beside.dialect(), Clock.systemUTC(), new SimpleMeterRegistry(), node.notifier());
            assertThat(store.rescue(revision.id(), "test-rescuer", 5, true)).as("the worker is taken for lost").isNotEmpty();
            stalled.countDown();

            List<SseEvent> log = api.fullLog(revision.id());
            var rebuilt = JobLogAssertions.assertConsistent(log);
            assertThat(rebuilt.terminal().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(rebuilt.terminal().attempt()).isEqualTo(2);
            assertThat(rebuilt.discarded()).as("the interrupted section 2, retracted").hasSize(1);
            assertThat(log.stream().map(e -> e.logged().event())
                    .filter(e -> e instanceof JobEvent.ArtifactCreated c && Boolean.TRUE.equals(c.reused()))
                    .map(e -> ((JobEvent.ArtifactCreated) e).step()))
                    .as("outline and section 1 copied before the loss, section 3 after; none twice").containsExactly(0, 1, 3);
            assertThat(provider.calls()).as("section 2 twice and the summary: nothing copied was generated").isEqualTo(8);

            Map<Integer, Artifact> before = RegenerateTest.byStep(api.job(parent.id()));
            Map<Integer, Artifact> after = RegenerateTest.byStep(api.job(revision.id()));
            for (int step : List.of(0, 1, 3)) {
                assertThat(after.get(step).content()).isEqualTo(before.get(step).content());
            }
        }
    }
}
