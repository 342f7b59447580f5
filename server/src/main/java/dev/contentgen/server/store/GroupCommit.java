package dev.contentgen.server.store;

import dev.contentgen.server.notify.Notifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Group commit: every write queues; whichever writer gets the lock runs all queued writes in one
 * transaction and hands each its result, so N writers that arrive together pay for one
 * BEGIN/COMMIT, one fsync and one notification instead of N. Fenced appends of the group run as
 * one {@link AppendBatch}; any other write runs in its own savepoint. Whatever fails is rolled
 * back alone; a failed commit fails every write of the group (callers retry, as for any store
 * failure, and a retried append finds out whether its first try landed).
 *
 * <p>Measured on the throughput benchmark, SQLite's per-transaction cost, not the SQL, bounded
 * jobs per second: the lock was held 91% of the time at about 300 µs per single-event
 * transaction. On PostgreSQL the commit rate was the ceiling of a whole cluster: one transaction
 * (and one NOTIFY, which serialises commits) per event.
 *
 * <p><b>The commit window.</b> Jobs at a model's pace append every ~100 ms each, so few of them
 * queue behind one commit: 1,000 such jobs made groups of two (0.5 transactions per event). So a
 * group waits for more writes, up to {@code window} after its oldest write queued, but only while
 * it expects nobody sooner: a group commits at once when every job of the group before (that did
 * not end) has queued again, or when a write other than an append queues (a request, a claim or a
 * lease renewal, whose caller waits for it and writes nothing meanwhile). Writers that append back
 * to back (jobs at full speed, a lone job) so never wait; writers at a pace wait at most the
 * window, and their transactions carry all that arrived in it, however many: the window caps the
 * commit rate, not the write rate.
 */
final class GroupCommit {
    /** Caps a group, so the writes at its head do not wait on an unbounded tail. */
    private static final int MAX_GROUP = 2048;

    private final Jdbi jdbi;
    private final Notifier notifier;
    private final Consumer<Announcements> committed;
    private final AppendBatch appendBatch;
    private final Clock clock;
    private final Meters meters;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    /** Queued writes that are not appends: while there is one, no group waits for more. */
    private final AtomicInteger waitingRequests = new AtomicInteger();
    private final long windowNanos;
    /** Jobs of the last group that have not ended nor queued again; the group that waits for more commits once this is empty. */
    private volatile Set<String> returning = ConcurrentHashMap.newKeySet();
    /** The writer waiting for more writes, to wake when the last of {@link #returning} queues. */
    private volatile Thread lingering;

    /**
     * What the store's write transactions cost: how many, the events they wrote, the writes each
     * group carried, and the groups that waited out the whole commit window.
     */
    record Meters(Counter transactions, Counter eventsWritten, DistributionSummary groupWrites, Counter windowsWaitedOut) {}

    /** {@code window}: how long a write may wait for others to share its transaction (0: never). */
    /** {@code committed} is told what each commit appended, before any writer of it goes on. */
    GroupCommit(Jdbi jdbi, Notifier notifier, Consumer<Announcements> committed, AppendBatch appendBatch, Clock clock, Meters meters,
            Duration window) {
        this.windowNanos = window.toNanos();
        this.jdbi = jdbi;
        this.notifier = notifier;
        this.committed = committed;
        this.appendBatch = appendBatch;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Runs {@code work} in a transaction, possibly shared with other writes; returns when it has
     * committed. What it records in {@code announcements} is sent with the group's notification.
     */
    <T> T write(HandleCallback<T, RuntimeException> work, Announcements announcements) {
        Write<T> write = new Write<>(work, announcements);
        await(write);
        return write.outcome();
    }

    /** Appends as a fenced batch of its group; returns the stored events once they committed. */
    List<StoredEvent> append(AppendBatch.Request request) {
        Append append = new Append(new AppendBatch.Pending(request));
        await(append);
        if (append.failure != null) {
            throw append.failure;
        }
        return append.pending.stored;
    }

    /** Writes waiting for a transaction (for tests that line writes up). */
    int queued() {
        return waiting.get();
    }

    /**
     * Queues {@code item} and returns once its group committed. Whoever gets the lock commits what
     * is queued; the others wait on their own item, not on the lock, so a writer whose group has
     * committed goes on at once, even while the next group waits for more writes.
     */
    private void await(Queued item) {
        waiting.incrementAndGet();
        if (item instanceof Write<?>) {
            waitingRequests.incrementAndGet();
        }
        queue.add(item);
        switch (item) {
            case Append append -> queuedAgain(append.jobId());
            case Write<?> write -> wakeLingering();
        }
        while (!item.done()) {
            if (lock.tryLock()) {
                Runnable announce = null;
                try {
                    if (!item.done()) {
                        announce = commitGroup();
                    }
                } finally {
                    lock.unlock();
                    handOff();
                }
                // Outside the lock, so the next group commits meanwhile. A job's next append can only be
                // in a later group once this one's writers went on, so its events are still announced in order.
                if (announce != null) {
                    announce.run();
                }
            } else {
                LockSupport.park(this);
            }
        }
    }

    /** Wakes the oldest queued writer to commit the next group (it queued before the holder's unlock, so none is missed). */
    private void handOff() {
        Queued next = queue.peek();
        if (next != null) {
            LockSupport.unpark(next.writer);
        }
    }

    /** Commits the next group; returns what announces it and lets its writers go on (run it after unlocking). */
    private Runnable commitGroup() {
        lingerForMoreWrites();
        List<Write<?>> writes = new ArrayList<>();
        List<Append> appends = new ArrayList<>();
        for (Queued next; writes.size() + appends.size() < MAX_GROUP && (next = queue.poll()) != null; ) {
            waiting.decrementAndGet();
            switch (next) {
                case Write<?> w -> {
                    waitingRequests.decrementAndGet();
                    writes.add(w);
                }
                case Append a -> appends.add(a);
            }
        }
        List<Queued> group = new ArrayList<>(writes);
        group.addAll(appends);
        if (group.isEmpty()) {
            return () -> { };
        }
        Announcements committed = new Announcements();
        try (Handle h = jdbi.open()) {
            h.begin();
            try {
                boolean alone = group.size() == 1 && appends.isEmpty();
                for (Write<?> write : writes) {
                    write.runIn(h, alone);
                    if (write.failure == null) {
                        committed.addAll(write.announcements);
                    }
                }
                runAppends(h.getConnection(), appends);
                appends.stream().filter(a -> a.failure == null).forEach(a -> committed.addAll(a.pending.announcements));
                if (alone && writes.getFirst().failure != null) {
                    h.rollback();
                } else {
                    notifier.beforeCommit(h.getConnection(), committed.notifications());
                    h.commit();
                    meters.transactions().increment();
                    meters.eventsWritten().increment(committed.events());
                    meters.groupWrites().record(group.size());
                }
            } catch (SQLException e) {
                rollbackQuietly(h, e);
                throw new StoreException("store write failed: " + e.getMessage(), e);
            } catch (RuntimeException | Error e) {
                rollbackQuietly(h, e);
                throw e;
            }
        } catch (RuntimeException e) {
            group.forEach(item -> item.fail(e));
            return () -> { };
        } catch (Error e) {
            // The writes of this group must not wait for an answer that will never come.
            StoreException failure = new StoreException("store write failed: " + e, e);
            group.forEach(item -> item.fail(failure));
            throw e;
        }
        expectAgain(appends);
        return () -> {
            try {
                // Delivered before any writer of the group goes on: a rolled-back append is never announced.
                this.committed.accept(committed);
            } finally {
                group.forEach(Queued::finish);
            }
        };
    }

    /** Waits, up to the window after the oldest queued write, while jobs of the last group have yet to queue again. */
    private void lingerForMoreWrites() {
        Queued oldest = queue.peek();
        if (windowNanos == 0 || oldest == null) {
            return;
        }
        long deadline = oldest.queuedAt + windowNanos;
        // Published before the check, as an arrival removes itself before reading this: one of the two sees the other.
        lingering = Thread.currentThread();
        try {
            while (!returning.isEmpty() && waitingRequests.get() == 0 && waiting.get() < MAX_GROUP) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    meters.windowsWaitedOut().increment();
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            lingering = null;
        }
    }

    private void queuedAgain(String jobId) {
        Set<String> expected = returning;
        if (expected.remove(jobId) && expected.isEmpty()) {
            wakeLingering();
        }
    }

    private void wakeLingering() {
        Thread leader = lingering;
        if (leader != null) {
            LockSupport.unpark(leader);
        }
    }

    /** The jobs a next group may expect back soon: those of this group that appended and did not end. */
    private void expectAgain(List<Append> appends) {
        Set<String> expected = ConcurrentHashMap.newKeySet();
        for (Append a : appends) {
            if (a.failure == null && a.pending.stored != null && a.pending.stored.stream().noneMatch(StoredEvent::terminal)) {
                expected.add(a.jobId());
            }
        }
        // Published before the queue is scanned, as an arrival queues before it reads this: one of the two sees the other.
        returning = expected;
        for (Queued q : queue) {
            if (q instanceof Append a) {
                expected.remove(a.jobId());
            }
        }
    }

    /**
     * The group's appends as one batch; when the database refuses it, each alone in its own
     * savepoint, so only the append that caused the error fails.
     */
    private void runAppends(Connection c, List<Append> appends) throws SQLException {
        if (appends.isEmpty()) {
            return;
        }
        long now = clock.millis();
        List<AppendBatch.Pending> pending = appends.stream().map(a -> a.pending).toList();
        Savepoint whole = c.setSavepoint();
        try {
            appendBatch.execute(c, pending, now);
            c.releaseSavepoint(whole);
            appends.forEach(Append::settle);
            return;
        } catch (SQLException | RuntimeException e) {
            c.rollback(whole);
            c.releaseSavepoint(whole);
        }
        for (Append append : appends) {
            append.pending.reset();
            Savepoint one = c.setSavepoint();
            try {
                appendBatch.execute(c, List.of(append.pending), now);
                append.settle();
            } catch (SQLException | RuntimeException e) {
                c.rollback(one);
                append.failure = e instanceof RuntimeException r ? r : new StoreException("store write failed: " + e.getMessage(), e);
                append.pending.reset();
            }
            c.releaseSavepoint(one);
        }
    }

    private static void rollbackQuietly(Handle h, Throwable cause) {
        try {
            h.rollback();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** A queued write, waiting for the group that commits it: done once its group committed or failed. */
    private abstract static sealed class Queued permits Write, Append {
        RuntimeException failure;
        final long queuedAt = System.nanoTime();
        final Thread writer = Thread.currentThread();
        private volatile boolean done;

        final boolean done() {
            return done;
        }

        final void finish() {
            done = true;
            LockSupport.unpark(writer);
        }

        void fail(RuntimeException e) {
            failure = e;
            finish();
        }
    }

    private static final class Append extends Queued {
        private final AppendBatch.Pending pending;

        Append(AppendBatch.Pending pending) {
            this.pending = pending;
        }

        String jobId() {
            return pending.request.run().jobId();
        }

        /** Takes the batch's answer for this append: its events, or why it was refused. */
        void settle() {
            failure = pending.failure;
        }
    }

    private static final class Write<T> extends Queued {
        private final HandleCallback<T, RuntimeException> work;
        private final Announcements announcements;
        private T result;

        Write(HandleCallback<T, RuntimeException> work, Announcements announcements) {
            this.work = work;
            this.announcements = announcements;
        }

        /** Alone in its transaction, a failed write rolls the whole transaction back; in a group, only its savepoint. */
        void runIn(Handle h, boolean alone) {
            if (alone) {
                try {
                    result = work.withHandle(h);
                } catch (RuntimeException e) {
                    failure = e;
                }
                return;
            }
            // Plain JDBC savepoints: Jdbi forgets a savepoint once rolled back to, but SQL keeps it until released.
            Connection c = h.getConnection();
            try {
                Savepoint savepoint = c.setSavepoint();
                try {
                    result = work.withHandle(h);
                } catch (RuntimeException e) {
                    failure = e;
                    c.rollback(savepoint);
                }
                c.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                throw new StoreException("store savepoint failed: " + e.getMessage(), e);
            }
        }

        @Override
        void fail(RuntimeException e) {
            result = null;
            super.fail(e);
        }

        T outcome() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }
}
