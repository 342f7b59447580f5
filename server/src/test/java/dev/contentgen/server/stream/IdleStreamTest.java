package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Scrape;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import dev.contentgen.server.webhook.WebhookSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Guarantee 2: no stream holds a database connection while it waits. */
@ParameterizedClass
@EnumSource(TestStore.class)
class IdleStreamTest {
    @Parameter
    TestStore store;

    private static final int STREAMS = 200;

    @TempDir
    Path dir;

    @Test
    void twoHundredStreamsOnPendingJobsHoldNoConnection() throws Exception {
        // No workers: the jobs stay pending, so every stream waits. A long lease, head-check period and webhook
        // poll keep the rescuer's, the head check's and the webhook outbox's periodic queries out of the sampling
        // window: they are per node, not a stream's cost.
        try (Node node = new Node(store.config(dir).withWorkers(0).withLease(Duration.ofMinutes(10))
                .withHeadCheck(Duration.ofMinutes(10))).webhooks(WebhookSettings.defaults().withPoll(Duration.ofMinutes(10))).start();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Api api = new Api(TestNodes.uri(node));
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                jobs.add(api.createJob(Map.of("topic", "Waiting job " + i)));
            }
            List<Future<SseStream>> opening = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                String jobId = jobs.get(i % jobs.size()).id();
                opening.add(clients.submit(() -> {
                    SseStream stream = api.events(jobId, null);
                    stream.next(); // the job's first event: status pending
                    return stream;
                }));
            }
            List<SseStream> streams = new ArrayList<>();
            for (Future<SseStream> f : opening) {
                streams.add(f.get());
            }
            assertThat(node.hub().openStreams()).isEqualTo(STREAMS);

            // Sample across more than one heartbeat (1 s in tests): waiting and heartbeating touch no connection.
            double logReadsBefore = logReads(api);
            int maxActive = 0;
            for (int sample = 0; sample < 30; sample++) {
                maxActive = Math.max(maxActive, node.database().poolStats().getActiveConnections());
                Thread.sleep(50);
            }
            assertThat(maxActive).isZero();
            assertThat(logReads(api)).as("queries on the event log while %d streams waited", STREAMS).isEqualTo(logReadsBefore);
            assertThat(streams).allMatch(s -> s.status() == 200);
            for (SseStream s : streams) {
                s.close();
            }
        }
    }

    private static double logReads(Api api) {
        return Scrape.of(api).sum("contentgen_store_log_reads_total");
    }
}
