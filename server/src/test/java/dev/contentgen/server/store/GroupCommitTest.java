package dev.contentgen.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import dev.contentgen.server.notify.LocalNotifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit on a real SQLite file: writes that queue together share a transaction, and fail alone. */
class GroupCommitTest {
    @TempDir
    Path dir;

    private Database database;
    private Jdbi jdbi;
    private GroupCommit groupCommit;

    @BeforeEach
    void open() {
        database = Database.openSqlite(dir.resolve("group.db"), 4, ds -> ds);
        jdbi = database.jdbi();
        jdbi.useHandle(h -> h.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, writer TEXT NOT NULL)"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        groupCommit = new GroupCommit(jdbi, new LocalNotifier(), committed -> { }, new AppendBatch(new EventWriter()), Clock.systemUTC(),
                new GroupCommit.Meters(meters.counter("transactions"), meters.counter("events"), meters.summary("group"),
                        meters.counter("window")),
                Store.DEFAULT_COMMIT_WINDOW);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void manyConcurrentWritersEachGetTheirOwnResultAndEveryWriteCommits() throws Exception {
        int writers = 64;
        int writesEach = 50;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String writer = "w" + w;
                results.add(pool.submit(() -> {
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < writesEach; i++) {
                        ids.add(write(h -> h.createUpdate("INSERT INTO notes (writer) VALUES (:w)").bind("w", writer)
                                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one()));
                    }
                    return ids;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                List<Long> ids = results.get(w).get(60, TimeUnit.SECONDS);
                String writer = "w" + w;
                // Each writer's ids are the rows it inserted, not a neighbour's from the same transaction.
                for (long id : ids) {
                    String owner = jdbi.withHandle(h -> h.createQuery("SELECT writer FROM notes WHERE id = :id").bind("id", id)
                            .mapTo(String.class).one());
                    assertThat(owner).isEqualTo(writer);
                }
                all.addAll(ids);
            }
            assertThat(all).doesNotHaveDuplicates().hasSize(writers * writesEach);
        }
        assertThat(count()).isEqualTo(writers * writesEach);
    }

    @Test
    void aFailingWriteInAGroupIsRolledBackAloneAndTheOthersCommit() throws Exception {
        CountDownLatch leaderInside = new CountDownLatch(1);
        CountDownLatch releaseLeader = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // The leader holds the writer lock while the next two writes queue behind it: they form one group.
            Future<Integer> leader = pool.submit(() -> write(h -> {
                leaderInside.countDown();
                await(releaseLeader);
                return h.execute("INSERT INTO notes (writer) VALUES ('leader')");
            }));
            assertThat(leaderInside.await(30, TimeUnit.SECONDS)).isTrue();
            List<Thread> ranOn = java.util.Collections.synchronizedList(new ArrayList<>());
            Future<Object> failing = pool.submit(() -> write(h -> {
                ranOn.add(Thread.currentThread());
                h.execute("INSERT INTO notes (writer) VALUES ('failing')");
                throw new LeaseLostException("job-x");
            }));
            Future<Integer> succeeding = pool.submit(() -> write(h -> {
                ranOn.add(Thread.currentThread());
                return h.execute("INSERT INTO notes (writer) VALUES ('succeeding')");
            }));
            while (groupCommit.queued() < 2) {
                Thread.sleep(5);
            }
            releaseLeader.countDown();

            assertThat(leader.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(succeeding.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(LeaseLostException.class);
            assertThat(ranOn).as("both queued writes ran in one group, on the thread that led it").hasSize(2);
            assertThat(ranOn.get(0)).isSameAs(ranOn.get(1));
        }
        List<String> committed = jdbi.withHandle(h -> h.createQuery("SELECT writer FROM notes ORDER BY id").mapTo(String.class).list());
        assertThat(committed).containsExactly("leader", "succeeding");
    }

    @Test
    void aWriteThatFailsAloneLeavesNothingBehind() {
        assertThatThrownBy(() -> write(h -> {
            h.execute("INSERT INTO notes (writer) VALUES ('alone')");
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(count()).isZero();
        int inserted = write(h -> h.execute("INSERT INTO notes (writer) VALUES ('after')"));
        assertThat(inserted).isEqualTo(1);
        assertThat(count()).isEqualTo(1);
    }

    private <T> T write(HandleCallback<T, RuntimeException> work) {
        return groupCommit.write(work, new Announcements());
    }

    private int count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM notes").mapTo(Integer.class).one());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
