package dev.contentgen.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobRequest;
import dev.contentgen.server.notify.LocalNotifier;
import dev.contentgen.server.notify.Notification;
import dev.contentgen.server.notify.Notifier;
import dev.contentgen.server.testing.SettableClock;
import dev.contentgen.server.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Appends of many jobs share one transaction, and each still stands alone: a lost lease, an
 * idempotency conflict or a database error fails only the write it belongs to, and the group
 * sends one notification for all of its jobs. Lined up for real behind a held group, on both stores.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class GroupedAppendsTest {
    private static final long LEASE = 5_000;

    @Parameter
    TestStore kind;
    @TempDir
    Path dir;
    Database database;
    Store store;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SettableClock clock = new SettableClock();
    RecordingNotifier notifier = new RecordingNotifier();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void open() {
        database = kind.open(dir, UnaryOperator.identity());
        // One group commit for appends, so the test can line them all up behind one held group.
        store = new Store(database.jdbi(), database.dialect(), clock, meters, notifier, 1, Store.DEFAULT_COMMIT_WINDOW);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        database.close();
    }

    @Test
    void aJobWhoseLeaseWasLostFailsAloneWhileItsNeighboursInTheSameTransactionCommit() throws Exception {
        ClaimedJob lost = runningJob("Lost its lease");
        ClaimedJob a = runningJob("Neighbour A");
        ClaimedJob b = runningJob("Neighbour B");
        // The lost job's lease expires and another node takes it: its run no longer holds it.
        clock.advance(Duration.ofMillis(LEASE + 1));
        store.renewLease(a.run(), LEASE);
        store.renewLease(b.run(), LEASE);
        assertThat(store.rescue(lost.id(), "node-b", 5, false)).isNotEmpty();

        List<Future<List<StoredEvent>>> appends = inOneGroup(3,
                () -> store.append(lost.run(), lost.lastSeq(), List.of(progress("late"))),
                () -> store.append(a.run(), a.lastSeq(), List.of(progress("a1"), progress("a2"))),
                () -> store.append(b.run(), b.lastSeq(), List.of(progress("b1"))));

        assertThatThrownBy(() -> appends.get(0).get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(LeaseLostException.class);
        assertThat(appends.get(1).get(30, TimeUnit.SECONDS)).extracting(StoredEvent::seq).containsExactly(a.lastSeq() + 1, a.lastSeq() + 2);
        assertThat(appends.get(2).get(30, TimeUnit.SECONDS)).extracting(StoredEvent::seq).containsExactly(b.lastSeq() + 1);
        assertThat(store.readEvents(lost.id(), 0, 100)).noneMatch(e -> e.data().contains("late"));
        assertThat(store.findHead(a.id()).orElseThrow().lastSeq()).isEqualTo(a.lastSeq() + 2);

        assertThat(notifier.lastGroup).as("one notification for the whole group, with each committed job's last seq")
                .containsExactlyInAnyOrder(new Notification.Appended(a.id(), a.lastSeq() + 2), new Notification.Appended(b.id(), b.lastSeq() + 1));
        assertThat(Notification.pack(notifier.lastGroup)).as("one NOTIFY carries them").hasSize(1);
    }

    @Test
    void anIdempotencyConflictFailsAloneWhileTheAppendsBesideItCommit() throws Exception {
        store.createJob(JobRequest.of("Keyed once"), "key-1");
        ClaimedJob a = runningJob("Neighbour A");

        List<Future<Object>> writes = inOneGroup(1,
                () -> store.createJob(JobRequest.of("Same key, other request"), "key-1"),
                () -> store.append(a.run(), a.lastSeq(), List.of(progress("a1"))));

        assertThatThrownBy(() -> writes.get(0).get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IdempotencyConflictException.class);
        writes.get(1).get(30, TimeUnit.SECONDS);
        assertThat(store.findHead(a.id()).orElseThrow().lastSeq()).isEqualTo(a.lastSeq() + 1);
    }

    @Test
    void aDatabaseErrorInTheBatchFailsOnlyTheAppendThatCausedIt() throws Exception {
        ClaimedJob broken = runningJob("Its next seq is taken");
        ClaimedJob a = runningJob("Neighbour A");
        // A row the log should not have: inserting the broken job's next event violates the log's key.
        database.jdbi().useHandle(h -> h.execute("INSERT INTO job_events (job_id, seq, type, data, created_at) VALUES (?, ?, 'progress', '{}', 0)",
                broken.id(), broken.lastSeq() + 1));

        List<Future<List<StoredEvent>>> appends = inOneGroup(2,
                () -> store.append(broken.run(), broken.lastSeq(), List.of(progress("refused"))),
                () -> store.append(a.run(), a.lastSeq(), List.of(progress("a1"))));

        assertThatThrownBy(() -> appends.get(0).get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class);
        assertThat(appends.get(1).get(30, TimeUnit.SECONDS)).extracting(StoredEvent::seq).containsExactly(a.lastSeq() + 1);
        assertThat(store.findHead(broken.id()).orElseThrow().lastSeq()).as("the refused append left its job as it was").isEqualTo(broken.lastSeq());
        assertThat(notifier.lastGroup).containsExactly(new Notification.Appended(a.id(), a.lastSeq() + 1));
    }

    @Test
    void aStreamingArtifactsTextIsItsCommittedDeltasWithoutRewritingTheRow() {
        ClaimedJob job = runningJob("Deltas only");
        String artifact = "0190a0b0-0000-7000-8000-000000000001";
        long seq = job.lastSeq();
        seq = store.append(job.run(), seq, List.of(new JobEvent.ArtifactCreated(artifact, "outline", "Outline", 0))).getLast().seq();
        for (String piece : List.of("One ", "two ", "three.")) {
            seq = store.append(job.run(), seq, List.of(new JobEvent.ArtifactDelta(artifact, piece))).getLast().seq();
        }
        Artifact streaming = store.findJob(job.id()).orElseThrow().artifacts().getFirst();
        assertThat(streaming.status()).isEqualTo(ArtifactStatus.STREAMING);
        assertThat(streaming.content()).isEqualTo("One two three.");
        String stored = database.jdbi().withHandle(h -> h.createQuery("SELECT content FROM artifacts WHERE id = :id")
                .bind("id", artifact).mapTo(String.class).one());
        assertThat(stored).as("a delta writes its own row only").isEmpty();

        store.endRun(job.run(), seq, new JobEvent.Status(dev.contentgen.api.JobStatus.CANCELLED, 1, null, null), "cancelled");
        Artifact discarded = store.findJob(job.id()).orElseThrow().artifacts().getFirst();
        assertThat(discarded.status()).isEqualTo(ArtifactStatus.DISCARDED);
        assertThat(discarded.content()).as("a discarded artifact keeps its partial text").isEqualTo("One two three.");
    }

    @Test
    void artifactsCreatedInTheSameMillisecondKeepTheOrderOfTheLog() {
        ClaimedJob job = runningJob("Two steps in one millisecond");
        String first = "0190a0b0-0000-7000-8000-00000000000f";
        String second = "0190a0b0-0000-7000-8000-000000000001";
        long seq = store.append(job.run(), job.lastSeq(), List.of(new JobEvent.ArtifactCreated(first, "outline", "Outline", 0),
                new JobEvent.ArtifactCompleted(first, "outline", "Outline", "Outline text"))).getLast().seq();
        store.append(job.run(), seq, List.of(new JobEvent.ArtifactCreated(second, "section", "One", 1)));

        assertThat(store.findJob(job.id()).orElseThrow().artifacts()).extracting(Artifact::id).containsExactly(first, second);
    }

    @Test
    void theProjectionsOfAGroupLandInTheOrderTheirRowsNeed() throws Exception {
        ClaimedJob a = runningJob("Completes an artifact created earlier");
        ClaimedJob b = runningJob("Creates and completes one in the same append");
        String earlier = "0190a0b0-0000-7000-8000-00000000000a";
        String whole = "0190a0b0-0000-7000-8000-00000000000b";
        long aSeq = store.append(a.run(), a.lastSeq(), List.of(new JobEvent.ArtifactCreated(earlier, "outline", "Outline", 0))).getLast().seq();

        // A's "completed" reaches the group before B's "created": gathered per statement, B's still runs first.
        List<Future<List<StoredEvent>>> appends = inOneGroup(2,
                () -> store.append(a.run(), aSeq, List.of(new JobEvent.ArtifactCompleted(earlier, "outline", "Outline", "A's outline"))),
                () -> store.append(b.run(), b.lastSeq(), List.of(new JobEvent.ArtifactCreated(whole, "outline", "Outline", 0),
                        new JobEvent.ArtifactDelta(whole, "B's "), new JobEvent.ArtifactCompleted(whole, "outline", "Outline", "B's outline"))));
        for (Future<List<StoredEvent>> append : appends) {
            append.get(30, TimeUnit.SECONDS);
        }

        assertThat(store.findJob(a.id()).orElseThrow().artifacts()).singleElement()
                .satisfies(x -> assertThat(x.status()).isEqualTo(ArtifactStatus.COMPLETED))
                .satisfies(x -> assertThat(x.content()).isEqualTo("A's outline"));
        assertThat(store.findJob(b.id()).orElseThrow().artifacts()).singleElement()
                .satisfies(x -> assertThat(x.status()).isEqualTo(ArtifactStatus.COMPLETED))
                .satisfies(x -> assertThat(x.content()).isEqualTo("B's outline"));
        List<Integer> nextSteps = database.jdbi().withHandle(h -> h.createQuery("SELECT next_step FROM jobs WHERE id IN (:a, :b)")
                .bind("a", a.id()).bind("b", b.id()).mapTo(Integer.class).list());
        assertThat(nextSteps)
                .as("each job's checkpoint moved past the step it completed").containsExactly(1, 1);
    }

    /**
     * An append moves its job's last_seq and updated_at. While an index held either, PostgreSQL could
     * not update the row in place (a HOT update): each append also wrote an entry into every index of
     * jobs, most of an event's write-ahead log under a thousand concurrent jobs.
     */
    @Test
    void anAppendChangesNoIndexedColumnOfItsJobsRow() {
        String sql = kind == TestStore.POSTGRESQL
                ? "SELECT indexdef FROM pg_indexes WHERE tablename = 'jobs'"
                : "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs' AND sql IS NOT NULL";
        List<String> indexes = database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
        assertThat(indexes).isNotEmpty().noneMatch(index -> index.contains("updated_at") || index.contains("last_seq"));
    }

    private ClaimedJob runningJob(String topic) {
        store.createJob(JobRequest.of(topic), null);
        return store.claimNext("node-a", LEASE).orElseThrow();
    }

    private static JobEvent progress(String message) {
        return new JobEvent.Progress("outline", 1, 7, message);
    }

    /**
     * Runs the writes so that they form one group: a held write keeps the group lock while they
     * queue behind it, then lets go. On PostgreSQL only appends join a group ({@code joiningOnPostgres}
     * of them); other writes run in transactions of their own.
     */
    @SafeVarargs
    private <T> List<Future<T>> inOneGroup(int joiningOnPostgres, java.util.concurrent.Callable<? extends T>... writes) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = pool.submit(() -> store.groupCommit().write(h -> {
            holding.countDown();
            await(release);
            return null;
        }, new Announcements()));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        int groupedBefore = store.groupCommit().queued();
        List<Future<T>> futures = new ArrayList<>();
        for (java.util.concurrent.Callable<? extends T> write : writes) {
            futures.add(pool.submit(write::call));
        }
        int grouped = kind == TestStore.POSTGRESQL ? joiningOnPostgres : writes.length;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.groupCommit().queued() < groupedBefore + grouped && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(store.groupCommit().queued()).isEqualTo(groupedBefore + grouped);
        double transactions = meters.counter("contentgen.store.transactions").count();
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        for (Future<T> f : futures) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException expected) {
                // the test asserts each outcome
            }
        }
        assertThat(meters.counter("contentgen.store.transactions").count() - transactions)
                .as("the held write's transaction, then one for the whole group (a failed write alone commits nothing)")
                .isEqualTo(2);
        return futures;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The in-process notifier, remembering what the last committed transaction announced. */
    static final class RecordingNotifier implements Notifier {
        private final LocalNotifier local = new LocalNotifier();
        volatile List<Notification> lastGroup = List.of();

        @Override
        public void beforeCommit(java.sql.Connection transaction, List<Notification> notifications) {}

        @Override
        public void afterCommit(List<Notification> notifications) {
            if (!notifications.isEmpty()) {
                lastGroup = List.copyOf(notifications);
            }
            local.afterCommit(notifications);
        }

        @Override
        public void subscribe(Listener listener) {
            local.subscribe(listener);
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public void close() {
            local.close();
        }
    }
}
