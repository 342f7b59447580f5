package dev.contentgen.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cancel asked on one node reaches the job running on another through the lease renewal. */
class CrossNodeCancelTest {
    @TempDir
    Path dir;

    @Test
    void cancelOnANodeThatDoesNotRunTheJobStopsIt() throws Exception {
        String db = TestStore.freshPostgresUrl();
        try (Node worker = new Node(TestNodes.config(dir.resolve("a")).withDb(db).withTokensPerSecond(200)
                     .withLease(Duration.ofSeconds(1))).start();
             Node front = new Node(TestNodes.config(dir.resolve("b")).withDb(db).withWorkers(0)).start()) {
            Api viaFront = new Api(TestNodes.uri(front));
            Job job = new Api(TestNodes.uri(worker)).createJob(Map.of("topic", "Stop me from afar"));
            try (var stream = viaFront.events(job.id(), null)) {
                stream.readUntil(e -> e.event().equals("artifact.delta"));
                assertThat(viaFront.post("/api/jobs/" + job.id() + "/cancel", "").status()).isEqualTo(202);
                var log = JobLogAssertions.assertConsistent(viaFront.fullLog(job.id()));
                assertThat(log.terminal().status()).isEqualTo(JobStatus.CANCELLED);
            }
        }
    }
}
