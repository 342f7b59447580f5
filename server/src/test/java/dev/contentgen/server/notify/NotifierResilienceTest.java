package dev.contentgen.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.LossyNotifier;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md, notifier: any database login can NOTIFY, so no payload stops a node from hearing the next
 * one; and a notification lost on the way delays a stream by one head-check period at most.
 */
class NotifierResilienceTest {
    private static final List<String> GARBAGE = List.of("garbage", "", ":", "no-seq:", ":12", "job:-1", "job:abc",
            "job:99999999999999999999", "x".repeat(7_900));

    @TempDir
    Path dir;

    @Test
    void aGarbageNotificationDoesNotStallOtherNodes() throws Exception {
        String db = TestStore.freshPostgresUrl();
        String jdbc = "jdbc:" + db.replace("postgres@", "");
        // The head check is held off, so only the listener itself can carry the job's events to the viewer.
        try (Node worker = new Node(TestNodes.config(dir.resolve("a")).withDb(db).withTokensPerSecond(400)).start();
             Node viewer = new Node(TestNodes.config(dir.resolve("b")).withDb(db).withWorkers(0)
                     .withHeadCheck(Duration.ofHours(1))).start();
             Connection psql = DriverManager.getConnection(jdbc, "postgres", null)) {
            awaitListeners(psql, 2);
            for (String payload : GARBAGE) {
                try (PreparedStatement notify = psql.prepareStatement("SELECT pg_notify('contentgen_events', ?)")) {
                    notify.setString(1, payload);
                    notify.execute();
                }
            }

            AtomicInteger failing = new AtomicInteger();
            viewer.notifier().subscribe(new Notifier.Listener() {
                @Override
                public void onAppended(String jobId, long lastSeq) {
                    failing.incrementAndGet();
                    throw new IllegalStateException("a listener with a bug");
                }
            });

            Job job = new Api(TestNodes.uri(worker)).createJob(Map.of("topic", "Heard on every node"));
            Api viaViewer = new Api(TestNodes.uri(viewer));
            try (SseStream stream = viaViewer.events(job.id(), null)) {
                List<SseEvent> live = stream.readAllWithin(Duration.ofSeconds(60));
                assertThat(live).as("streamed live from the other node, nothing lost")
                        .containsExactlyElementsOf(viaViewer.fullLog(job.id()));
                assertThat(JobLogAssertions.assertConsistent(live).terminal().status()).isEqualTo(JobStatus.COMPLETED);
            }
            assertThat(failing.get()).as("the failing listener heard them too").isPositive();
            assertThat(new Api(TestNodes.uri(viewer)).get("/readyz").status()).as("the listener is still connected").isEqualTo(200);
        }
    }

    @Test
    void aLostNotificationIsHealedByTheHeadCheck() throws Exception {
        for (TestStore store : TestStore.values()) {
            LossyNotifier[] lossy = new LossyNotifier[1];
            // No workers: the job waits, pending, until the test cancels it; that append's notification is lost.
            try (Node node = new Node(store.config(dir.resolve(store.name())).withWorkers(0).withHeadCheck(Duration.ofMillis(200)))
                    .notifierWrapper(real -> lossy[0] = new LossyNotifier(real)).start()) {
                Api api = new Api(TestNodes.uri(node));
                Job job = api.createJob("Lost and found");
                try (SseStream stream = api.events(job.id(), null)) {
                    assertThat(stream.next().logged().seq()).isEqualTo(1);
                    assertThat(api.post("/api/jobs/" + job.id() + "/cancel", "").status()).isEqualTo(200);

                    List<SseEvent> rest = stream.readAllWithin(Duration.ofSeconds(60));

                    assertThat(rest).as("%s: the cancel reaches the stream without its notification", store)
                            .extracting(SseEvent::id).containsExactly("2");
                    assertThat(JobLogAssertions.assertConsistent(api.fullLog(job.id())).terminal().status())
                            .isEqualTo(JobStatus.CANCELLED);
                }
            }
        }
    }

    /** Waits until {@code n} nodes' listening connections have run LISTEN, so the garbage reaches them. */
    static void awaitListeners(Connection psql, int n) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (PreparedStatement count = psql.prepareStatement("""
                    SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                    AND application_name = 'contentgen-listener' AND state = 'idle'
                    AND (query LIKE 'LISTEN%' OR query = 'SELECT 1')""");
                 ResultSet rs = count.executeQuery()) {
                rs.next();
                if (rs.getInt(1) >= n) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the nodes' listeners did not connect");
            }
            Thread.sleep(20);
        }
    }
}
