package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.api.StreamError;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TcpProxy;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes away for a while (every connection cut, new ones refused) and comes back: streams
 * stay open, workers pause and retry, the listener reconnects, and nothing is lost or duplicated.
 */
class PostgresOutageTest {
    @TempDir
    Path dir;

    @Test
    void cutConnectionsToPostgresCostNoEventAndNeedNoRestart() throws Exception {
        String direct = TestStore.freshPostgresUrl();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432)) {
            String viaProxy = direct.replace(TestStore.SERVER, "127.0.0.1:" + proxy.port());
            try (Node node = new Node(TestNodes.config(dir).withDb(viaProxy).withTokensPerSecond(400)).start();
                 ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                Api api = new Api(TestNodes.uri(node));
                Job job = api.createJob(Map.of("topic", "Databases that restart"));
                List<SseEvent> received = new ArrayList<>();
                try (SseStream stream = api.events(job.id(), null)) {
                    received.addAll(stream.readUntil(e -> e.event().equals("artifact.delta")));
                    proxy.cut();
                    // A second subscriber arrives during the outage: it is told, not dropped silently.
                    Future<List<SseEvent>> during = clients.submit(() -> {
                        try (SseStream s = api.events(job.id(), received.getLast().seq())) {
                            return s.readAll();
                        }
                    });
                    assertThat(during.get()).isNotEmpty().allMatch(SseEvent::isError);
                    Thread.sleep(2_000);
                    proxy.restore();
                    received.addAll(stream.readAll());
                }
                assertThat(received).as("the open stream says why it is quiet")
                        .anyMatch(e -> e.isError() && Json.read(e.data(), StreamError.class).code() == ErrorCode.STORE_UNAVAILABLE);
                List<SseEvent> jobEvents = received.stream().filter(e -> !e.isError()).toList();
                List<SseEvent> full = api.fullLog(job.id());
                assertThat(jobEvents).as("nothing lost, nothing twice").containsExactlyElementsOf(full);
                assertThat(JobLogAssertions.assertConsistent(full).terminal().status()).isEqualTo(JobStatus.COMPLETED);

                // The same pool and the reconnected listener serve a new job end to end.
                Job after = api.createJob(Map.of("topic", "After the outage", "length", "short"));
                assertThat(JobLogAssertions.assertConsistent(api.fullLog(after.id())).terminal().status())
                        .isEqualTo(JobStatus.COMPLETED);
            }
        }
    }

    @Test
    void nodesStartingTogetherMigrateOnce() throws Exception {
        String db = TestStore.freshPostgresUrl();
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Node>> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path nodeDir = dir.resolve("n" + i);
                nodes.add(starters.submit(() -> new Node(TestNodes.config(nodeDir).withDb(db)).start()));
            }
            List<Node> started = new ArrayList<>();
            for (Future<Node> f : nodes) {
                started.add(f.get());
            }
            try {
                Api api = new Api(TestNodes.uri(started.get(1)));
                Job job = api.createJob(Map.of("topic", "Three nodes, one schema", "length", "short"));
                assertThat(JobLogAssertions.assertConsistent(new Api(TestNodes.uri(started.get(2))).fullLog(job.id()))
                        .terminal().status()).isEqualTo(JobStatus.COMPLETED);
                // Each migration version applied exactly once, however many migrations there are.
                List<Integer> applied = started.getFirst().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM flyway_schema_history WHERE success GROUP BY version").mapTo(Integer.class).list());
                assertThat(applied).isNotEmpty().containsOnly(1);
            } finally {
                started.forEach(Node::close);
            }
        }
    }
}
