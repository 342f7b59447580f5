package dev.contentgen.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.UsageReport;
import dev.contentgen.client.testing.TestClients;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK reads a job's tokens and cost per step and in total, its queue position, and the caller's usage. */
class UsageTest {
    @TempDir
    Path dir;

    @Test
    void aFinishedJobsUsageAndTheCallersTotalsAreTyped() throws Exception {
        Path prices = Files.writeString(dir.resolve("prices.json"), "{\"models\": {\"offline\": {\"input\": 10, \"output\": 20}}}");
        try (Node node = new Node(TestNodes.config(dir).withPricesFile(prices)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            Job created = client.jobs().create(JobRequest.of("Typed usage"));
            try (EventStream events = client.jobs().events(created.id())) {
                events.forEach(e -> { });
            }
            Job job = client.jobs().get(created.id());
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            long stepInput = job.artifacts().stream().map(Artifact::usage).filter(u -> u != null).mapToLong(u -> u.inputTokens()).sum();
            assertThat(job.usage().inputTokens()).isPositive().isEqualTo(stepInput);
            assertThat(job.usage().costUsd()).isPositive();

            UsageReport usage = client.usage().total();
            assertThat(usage.owner()).isEqualTo("local");
            assertThat(usage.jobs()).isEqualTo(1);
            assertThat(usage.outputTokens()).isEqualTo(job.usage().outputTokens());
            assertThat(usage.costUsd()).isEqualTo(job.usage().costUsd(), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(client.usage().since(Instant.now().plusSeconds(60)).jobs()).isZero();
        }
    }

    @Test
    void aWaitingJobHasItsPlaceInTheQueue() {
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            client.jobs().create(JobRequest.of("First in line"));
            Job second = client.jobs().create(JobRequest.of("Second in line"));
            assertThat(client.jobs().get(second.id()).queue().ahead()).isEqualTo(1);
            assertThat(client.jobs().get(second.id()).queue().workers()).isZero();
        }
    }
}
