package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import dev.contentgen.server.testing.Vector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guarantee 1 on a multiplexed stream: a client that reconnects with the last resume vector it saw (as
 * Last-Event-ID, or as the URL's job=ID:AFTER) receives every later event of every job exactly once, in order,
 * while the jobs run side by side and the connection is cut at random points.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class MultiplexedResumeTest {
    private static final int JOBS = 3;

    @Parameter
    TestStore store;
    @TempDir
    Path dir;
    Node node;
    Api api;

    @BeforeEach
    void start() {
        // Slow enough that the jobs are still running while the client cuts and reconnects.
        node = new Node(store.config(dir).withTokensPerSecond(1500).withWorkers(JOBS)).start();
        api = new Api(TestNodes.uri(node));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void reconnectingWithTheLastVectorYieldsExactlyTheRestOfEveryJob() throws Exception {
        Random random = new Random(18);
        for (int round = 0; round < 2; round++) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                jobs.add(api.createJob(Map.of("topic", "Side by side, round " + round + ", job " + i)));
            }
            List<SseEvent> received = new ArrayList<>();
            long[] vector = new long[JOBS];
            int connections = 0;
            boolean ended = false;
            while (!ended) {
                connections++;
                // Odd connections resume by the header, as a browser's EventSource does; even ones by the URL.
                boolean byHeader = connections % 2 == 1;
                try (SseStream stream = api.multiplexed(query(jobs, byHeader ? null : vector), byHeader ? Vector.of(vector) : null)) {
                    if (stream.status() == 204) {
                        // The cut came right after the last job's terminal event: nothing is left.
                        break;
                    }
                    assertThat(stream.status()).as("connection %d", connections).isEqualTo(200);
                    int cutAfter = 1 + random.nextInt(12);
                    int read = 0;
                    SseEvent e;
                    while (read < cutAfter && (e = stream.next()) != null) {
                        assertThat(e.id()).as("no errors on a healthy stream: %s", e.data()).isNotNull();
                        received.add(e);
                        vector = Vector.parse(e.id());
                        read++;
                    }
                    ended = read < cutAfter;
                }
            }
            Map<String, List<SseEvent>> byJob = Vector.byJob(received);
            for (int i = 0; i < JOBS; i++) {
                Job job = jobs.get(i);
                List<SseEvent> full = api.fullLog(job.id());
                assertThat(byJob.get(job.id())).as("round %d, job %d over %d connections", round, i, connections)
                        .containsExactlyElementsOf(full);
                JobLogAssertions.assertConsistent(byJob.get(job.id()));
                assertThat(vector[i]).as("the last vector holds the job's last seq").isEqualTo(full.getLast().seq());
            }
            assertThat(connections).isGreaterThan(5);
            // Every job has ended at its point: a browser reconnecting now is told to stop.
            try (SseStream stream = api.multiplexed(query(jobs, null), Vector.of(vector))) {
                assertThat(stream.status()).isEqualTo(204);
            }
        }
    }

    /** {@code job=A&job=B&job=C}, with each job's resume point when {@code after} is given. */
    private static String query(List<Job> jobs, long[] after) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < jobs.size(); i++) {
            query.append(i == 0 ? "" : "&").append("job=").append(jobs.get(i).id());
            if (after != null) {
                query.append(':').append(after[i]);
            }
        }
        return query.toString();
    }
}
