package dev.contentgen.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobRequest;
import dev.contentgen.server.notify.LocalNotifier;
import dev.contentgen.server.testing.SettableClock;
import dev.contentgen.server.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The commit window: appends of jobs at a pace share a transaction, while a lone job, a job that
 * appends back to back and any other write never wait for it. Counted in transactions and in
 * windows waited out, on both stores.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class CommitWindowTest {
    private static final long LEASE = 60_000;
    private static final Duration WINDOW = Duration.ofMillis(100);

    @Parameter
    TestStore kind;
    @TempDir
    Path dir;
    Database database;
    Store store;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    void open(Duration window) {
        database = kind.open(dir, UnaryOperator.identity());
        store = new Store(database.jdbi(), database.dialect(), new SettableClock(), meters, new LocalNotifier(), 1, window);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        if (database != null) {
            database.close();
        }
    }

    @Test
    void jobsAppendingAtAPaceShareTransactions() throws Exception {
        open(WINDOW);
        int jobs = 12;
        int rounds = 8;
        List<ClaimedJob> running = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            running.add(runningJob("Paced " + i));
        }
        double before = transactions();
        List<Future<?>> writers = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            ClaimedJob job = running.get(i);
            long offsetMillis = i * 3L;
            // Like a model's tokens: each job appends every 40 ms, the jobs out of step with each other.
            writers.add(pool.submit(() -> {
                Thread.sleep(offsetMillis);
                long seq = job.lastSeq();
                for (int r = 0; r < rounds; r++) {
                    seq = store.append(job.run(), seq, List.of(progress("round " + r))).getLast().seq();
                    Thread.sleep(40);
                }
                return null;
            }));
        }
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }
        double perAppend = (transactions() - before) / (jobs * rounds);
        // Without the window each append, arriving alone, commits alone (about 1 transaction each).
        assertThat(perAppend).as("transactions per append").isLessThanOrEqualTo(0.34);
        for (ClaimedJob job : running) {
            assertThat(store.findHead(job.id()).orElseThrow().lastSeq()).isEqualTo(job.lastSeq() + rounds);
        }
    }

    @Test
    void aJobAppendingBackToBackNeverWaitsOutTheWindow() {
        open(WINDOW);
        ClaimedJob job = runningJob("Alone and fast");
        double before = transactions();
        long seq = job.lastSeq();
        for (int i = 0; i < 30; i++) {
            seq = store.append(job.run(), seq, List.of(progress("token " + i))).getLast().seq();
        }
        assertThat(windowsWaitedOut()).as("windows waited out").isZero();
        assertThat(transactions() - before).as("each append in its own transaction: nobody else to wait for").isEqualTo(30);
    }

    @Test
    void aGroupWaitsOutTheWindowOnlyWhileItExpectsAJobBack() {
        open(WINDOW);
        ClaimedJob first = runningJob("Appended once, then quiet");
        ClaimedJob second = runningJob("Appends after it");
        store.append(first.run(), first.lastSeq(), List.of(progress("one")));
        // The group before was the first job's; it does not come back, so this append waits out the window.
        store.append(second.run(), second.lastSeq(), List.of(progress("two")));
        assertThat(windowsWaitedOut()).isEqualTo(1);
        // The second job, now the one expected, comes back: no wait.
        store.append(second.run(), second.lastSeq() + 1, List.of(progress("three")));
        assertThat(windowsWaitedOut()).isEqualTo(1);
    }

    @Test
    void aRequestDoesNotWaitForTheWindow() {
        assumeTrue(kind == TestStore.SQLITE, "on PostgreSQL only appends are grouped; other writes never wait");
        open(WINDOW);
        ClaimedJob job = runningJob("Expected back");
        store.append(job.run(), job.lastSeq(), List.of(progress("one")));
        // The group now expects this job back; a request that queues instead commits at once.
        store.createJob(JobRequest.of("A request"), null);
        store.renewLease(job.run(), LEASE);
        assertThat(windowsWaitedOut()).isZero();
    }

    @Test
    void withTheWindowOffNoGroupWaits() {
        open(Duration.ZERO);
        ClaimedJob first = runningJob("Appended once");
        ClaimedJob second = runningJob("Appends after it");
        store.append(first.run(), first.lastSeq(), List.of(progress("one")));
        store.append(second.run(), second.lastSeq(), List.of(progress("two")));
        assertThat(windowsWaitedOut()).isZero();
    }

    private ClaimedJob runningJob(String topic) {
        store.createJob(JobRequest.of(topic), null);
        return store.claimNext("node-a", LEASE).orElseThrow();
    }

    private static JobEvent progress(String message) {
        return new JobEvent.Progress("outline", 1, 7, message);
    }

    private double transactions() {
        return meters.counter("contentgen.store.transactions").count();
    }

    private double windowsWaitedOut() {
        return meters.counter("contentgen.store.group.window.expired").count();
    }
}
