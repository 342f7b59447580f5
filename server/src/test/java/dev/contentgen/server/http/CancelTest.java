package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Cancel is cooperative and quick: checked between tokens, it ends with status cancelled. */
@ParameterizedClass
@EnumSource(TestStore.class)
class CancelTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    @Test
    void cancellingAPendingJobEndsItAtOnce() throws Exception {
        try (Node node = new Node(store.config(dir).withWorkers(0)).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob("Never started");
            Api.Response r = api.post("/api/jobs/" + job.id() + "/cancel", "");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.as(Job.class).status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(api.post("/api/jobs/" + job.id() + "/cancel", "").status()).as("cancel is idempotent").isEqualTo(200);
            List<SseEvent> log = api.fullLog(job.id());
            assertThat(JobLogAssertions.assertConsistent(log).terminal().status()).isEqualTo(JobStatus.CANCELLED);
        }
    }

    @Test
    void cancellingARunningJobStopsItBetweenTokensAndRetractsThePartial() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch gate = provider.gateAt("section", 10);
        try (Node node = new Node(store.config(dir)).provider(provider).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob("Stop me");
            try (SseStream stream = api.events(job.id(), null)) {
                // The provider is held mid-section, so the section is partly written when the cancel lands.
                List<SseEvent> received = new ArrayList<>(stream.readUntil(
                        e -> e.event().equals("artifact.created") && e.data().contains("\"kind\":\"section\"")));
                Api.Response r = api.post("/api/jobs/" + job.id() + "/cancel", "");
                assertThat(r.status()).isEqualTo(202);
                gate.countDown();
                received.addAll(stream.readAll());

                var log = JobLogAssertions.assertConsistent(received);
                assertThat(log.terminal().status()).isEqualTo(JobStatus.CANCELLED);
                assertThat(log.discarded()).as("the interrupted section is retracted").hasSize(1);
                assertThat(log.ofKind("section")).isEmpty();
                assertThat(api.job(job.id()).status()).isEqualTo(JobStatus.CANCELLED);
                assertThat(api.post("/api/jobs/" + job.id() + "/cancel", "").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void cancellingAFinishedJobIsAConflict() throws Exception {
        try (Node node = new Node(store.config(dir)).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob("Already done");
            api.fullLog(job.id());
            Api.Response r = api.post("/api/jobs/" + job.id() + "/cancel", "");
            assertThat(r.status()).isEqualTo(409);
            assertThat(JobsApiTest.code(r)).isEqualTo("JOB_FINISHED");
        }
    }
}
