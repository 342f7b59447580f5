package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Guarantee 2 on multiplexed streams: no database connection while they wait, and each counts as one open stream. */
@ParameterizedClass
@EnumSource(TestStore.class)
class MultiplexedIdleStreamTest {
    @Parameter
    TestStore store;

    private static final int STREAMS = 100;
    private static final int JOBS = 5;

    @TempDir
    Path dir;

    @Test
    void aHundredMultiplexedStreamsOfFiveJobsEachHoldNoConnection() throws Exception {
        // As IdleStreamTest: no workers, so every job stays pending and every stream waits; the periodic queries (rescuer, head check, webhook outbox) are kept out.
        try (Node node = new Node(store.config(dir).withWorkers(0).withLease(Duration.ofMinutes(10))
                .withHeadCheck(Duration.ofMinutes(10))).webhooks(WebhookSettings.defaults().withPoll(Duration.ofMinutes(10))).start();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Api api = new Api(TestNodes.uri(node));
            StringBuilder query = new StringBuilder("list=1");
            for (int i = 0; i < JOBS; i++) {
                query.append("&job=").append(api.createJob(Map.of("topic", "Waiting job " + i)).id());
            }
            List<Future<SseStream>> opening = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                opening.add(clients.submit(() -> {
                    SseStream stream = api.multiplexed(query.toString(), null);
                    for (int j = 0; j < JOBS; j++) {
                        stream.next(); // each job's first event: status pending
                    }
                    return stream;
                }));
            }
            List<SseStream> streams = new ArrayList<>();
            for (Future<SseStream> f : opening) {
                streams.add(f.get());
            }
            assertThat(node.hub().openStreams()).as("one open stream each, however many jobs").isEqualTo(STREAMS);

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
