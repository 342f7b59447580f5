package dev.contentgen.server.stream;

import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoredEvent;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The recent events of one job, shared by all of its cursors on this node. When the notifier
 * announces a new seq, the first cursor to notice reads the new events from the store once;
 * every other cursor is served from memory. Cursors behind the recent events (a catch-up) read
 * the older log in aligned pages that they share too, so a crowd reconnecting at once reads
 * each page once rather than once per cursor.
 */
final class JobFeed {
    private static final int FETCH_PAGE = 500;
    /** Catch-up pages kept per job (up to about 150 KB each). */
    private static final int CATCH_UP_PAGES = 8;

    final String jobId;
    private final Store store;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ReentrantLock fetchLock = new ReentrantLock();
    private final ArrayDeque<StoredEvent> recent = new ArrayDeque<>();
    private final Map<Long, CompletableFuture<List<StoredEvent>>> catchUpPages = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, CompletableFuture<List<StoredEvent>>> eldest) {
            return size() > CATCH_UP_PAGES;
        }
    };
    private long announcedSeq;
    private long wakeups;
    /** The job was deleted: its cursors end with JOB_DELETED. */
    private volatile boolean gone;
    int subscribers;

    JobFeed(String jobId, Store store, int capacity) {
        this.jobId = jobId;
        this.store = store;
        this.capacity = capacity;
    }

    /** The log now reaches {@code seq}. */
    void announce(long seq) {
        lock.lock();
        try {
            if (seq > announcedSeq) {
                announcedSeq = seq;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The job no longer exists (deleted here, or found missing by the head check). */
    void markGone() {
        gone = true;
        wakeAll();
    }

    boolean isGone() {
        return gone;
    }

    /** Wakes every waiting cursor so it looks at the hub's state (shutdown, store outage). */
    void wakeAll() {
        lock.lock();
        try {
            wakeups++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Events after {@code after}, waiting up to {@code maxWaitNanos} for some to exist.
     * Empty when the wait timed out or the feed was woken.
     */
    List<StoredEvent> next(long after, int max, long maxWaitNanos) throws InterruptedException {
        long deadline = System.nanoTime() + maxWaitNanos;
        long wakeupsAtStart;
        lock.lock();
        try {
            wakeupsAtStart = wakeups;
        } finally {
            lock.unlock();
        }
        while (true) {
            lock.lock();
            try {
                Long first = recent.isEmpty() ? null : recent.peekFirst().seq();
                if (first != null && after + 1 >= first && after < recent.peekLast().seq()) {
                    return slice(recent, after, max);
                }
                if (first != null && after + 1 < first) {
                    lock.unlock();
                    try {
                        return catchUp(after, max);
                    } finally {
                        lock.lock();
                    }
                }
                if (announcedSeq <= after) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0 || wakeups != wakeupsAtStart) {
                        return List.of();
                    }
                    changed.awaitNanos(remaining);
                    continue;
                }
            } finally {
                lock.unlock();
            }
            fetchFrom(after);
        }
    }

    /** Reads the announced events beyond the cache (or beyond {@code after} when the cache is empty) once. */
    private void fetchFrom(long after) {
        fetchLock.lock();
        try {
            long from;
            long to;
            lock.lock();
            try {
                from = recent.isEmpty() ? after : recent.peekLast().seq();
                to = announcedSeq;
            } finally {
                lock.unlock();
            }
            if (from >= to) {
                return;
            }
            List<StoredEvent> fetched = store.readEvents(jobId, from, (int) Math.min(to - from, FETCH_PAGE));
            lock.lock();
            try {
                for (StoredEvent e : fetched) {
                    // The read is everything after the cache's end, in order; gaps in it are ranges retention compacted away.
                    if (!recent.isEmpty() && e.seq() <= recent.peekLast().seq()) {
                        continue;
                    }
                    recent.addLast(e);
                }
                while (recent.size() > capacity) {
                    recent.removeFirst();
                }
                if (fetched.isEmpty()) {
                    // Announced but not readable (e.g. the store rolled back): wait for the next announcement.
                    announcedSeq = from;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        } finally {
            fetchLock.unlock();
        }
    }

    /** Events after {@code after} from the shared page that holds {@code after + 1}. */
    private List<StoredEvent> catchUp(long after, int max) {
        return slice(page(after / FETCH_PAGE * FETCH_PAGE, after), after, max);
    }

    /**
     * Events {@code start + 1 … start + FETCH_PAGE}: read by the first cursor that needs them while
     * the others wait for that read. The log only grows, so a kept page stays true; a page that
     * ended before the log grew is read again by the first cursor it has nothing left for. A page read before
     * retention compacted the job still holds the dropped deltas: true events, in order, so serving them is right.
     */
    private List<StoredEvent> page(long start, long after) {
        CompletableFuture<List<StoredEvent>> mine = new CompletableFuture<>();
        CompletableFuture<List<StoredEvent>> kept;
        synchronized (catchUpPages) {
            kept = catchUpPages.putIfAbsent(start, mine);
        }
        if (kept != null) {
            List<StoredEvent> events;
            try {
                events = kept.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            if (!events.isEmpty() && events.getLast().seq() > after) {
                return events;
            }
            // Rare (the log outgrew a partial page while cursors were behind): this cursor re-reads it.
            List<StoredEvent> reread = store.readEvents(jobId, start, FETCH_PAGE);
            synchronized (catchUpPages) {
                catchUpPages.put(start, CompletableFuture.completedFuture(reread));
            }
            return reread;
        }
        try {
            List<StoredEvent> events = store.readEvents(jobId, start, FETCH_PAGE);
            mine.complete(events);
            return events;
        } catch (RuntimeException e) {
            forget(start, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private void forget(long start, CompletableFuture<List<StoredEvent>> page) {
        synchronized (catchUpPages) {
            catchUpPages.remove(start, page);
        }
    }

    /** At most {@code max} of {@code events} (in seq order) after {@code after}. */
    private static List<StoredEvent> slice(Collection<StoredEvent> events, long after, int max) {
        List<StoredEvent> out = new ArrayList<>(Math.min(max, events.size()));
        for (StoredEvent e : events) {
            if (e.seq() > after) {
                out.add(e);
                if (out.size() == max) {
                    break;
                }
            }
        }
        return out;
    }
}
