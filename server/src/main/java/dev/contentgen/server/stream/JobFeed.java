package dev.contentgen.server.stream;

import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.store.StoredEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The recent events of one job, encoded once and shared by all of its cursors on this node. When
 * the log grows, the first cursor to look reads the new events from the store once; every other
 * cursor is served from memory. Cursors behind the recent events (a catch-up) read the older log
 * in aligned pages that they share too, so a crowd reconnecting at once reads each page once
 * rather than once per cursor. Nobody waits here: the feed wakes its cursors when the log grows.
 */
final class JobFeed {
    private static final int FETCH_PAGE = 500;
    /** Catch-up pages kept per job (up to about 150 KB each). */
    private static final int CATCH_UP_PAGES = 8;
    /** How long a job's head read for one stream opening may serve the next ones (while nothing newer is known of its log). */
    static final long HEAD_REUSE_NANOS = 1_000_000_000L;

    final String jobId;
    private final Store store;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock fetchLock = new ReentrantLock();
    private final ArrayDeque<EncodedEvent> recent = new ArrayDeque<>();
    private final Map<Long, CompletableFuture<List<EncodedEvent>>> catchUpPages = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, CompletableFuture<List<EncodedEvent>>> eldest) {
            return size() > CATCH_UP_PAGES;
        }
    };
    private final Set<Cursor> cursors = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean readingAhead = new AtomicBoolean();
    private long announcedSeq;
    /** The job was deleted: its cursors end with JOB_DELETED. */
    private volatile boolean gone;
    /** The job's row as a stream opening here last read it (a running job's only), and when that read began. */
    private volatile KnownHead knownHead;
    /** The read of the job's row under way for a stream opening, if any (guarded by {@code lock}). */
    private CompletableFuture<Void> headRead;
    int subscribers;

    JobFeed(String jobId, Store store, int capacity) {
        this.jobId = jobId;
        this.store = store;
        this.capacity = capacity;
    }

    private record KnownHead(Store.JobHead head, long readNanos) {}

    /**
     * The job's head for a stream opening at {@code after}: the one an opening read from the store moments ago, or
     * a new read (only one at a time: openings that come meanwhile wait for it), so a crowd opening streams on one job
     * reads its row about once a second, not once each. A head read before this opening subscribed serves it as well
     * as its own read would: an event committed since is announced to this same feed, which then makes the head stale
     * (the next opening reads again) or wakes the cursor. Only a running job's head is reused (a finished job's end
     * decides 204, and a finished job may be compacted), only while this node knows of nothing newer in its log (an
     * event since, the job's end among them, makes the next opening read again), only for an opening no further than
     * it, and for at most {@link #HEAD_REUSE_NANOS} (a notification lost meanwhile costs at most that).
     */
    Optional<Store.JobHead> head(long after, Supplier<Optional<Store.JobHead>> read) {
        boolean waited = false;
        while (true) {
            CompletableFuture<Void> mine = null;
            CompletableFuture<Void> theirs;
            lock.lock();
            try {
                KnownHead known = knownHead;
                if (known != null && !gone && System.nanoTime() - known.readNanos() <= HEAD_REUSE_NANOS
                        && announcedSeq <= known.head().lastSeq() && after <= known.head().lastSeq()) {
                    return Optional.of(known.head());
                }
                theirs = headRead;
                if (theirs == null || waited) {
                    // After one wait, a head that does not serve this opening (a finished job's, say) is read again.
                    mine = new CompletableFuture<>();
                    headRead = mine;
                }
            } finally {
                lock.unlock();
            }
            if (mine == null) {
                theirs.join();
                waited = true;
                continue;
            }
            long readNanos = System.nanoTime();
            try {
                Optional<Store.JobHead> head = read.get();
                knownHead = head.filter(h -> !h.status().isTerminal()).map(h -> new KnownHead(h, readNanos)).orElse(null);
                return head;
            } finally {
                lock.lock();
                try {
                    if (headRead == mine) {
                        headRead = null;
                    }
                } finally {
                    lock.unlock();
                }
                mine.complete(null);
            }
        }
    }

    /** {@code cursor} is woken whenever the log grows, until {@link #detach}. */
    void attach(Cursor cursor) {
        cursors.add(cursor);
    }

    void detach(Cursor cursor) {
        cursors.remove(cursor);
    }

    /**
     * The log now reaches {@code seq}. When the feed holds the job's recent events, one virtual
     * thread reads the new ones before the cursors are woken, so they find them in memory instead
     * of queueing behind that read; an empty feed does not know where its cursors are, so they read.
     */
    void announce(long seq) {
        boolean readAhead;
        lock.lock();
        try {
            if (seq <= announcedSeq) {
                return;
            }
            announcedSeq = seq;
            readAhead = !recent.isEmpty();
        } finally {
            lock.unlock();
        }
        if (!readAhead) {
            wakeAll();
        } else if (readingAhead.compareAndSet(false, true)) {
            Thread.ofVirtual().name("stream-read-ahead").start(this::readAhead);
        }
    }

    /**
     * Events this node has just committed (in seq order): held as if read, so neither the read-ahead
     * nor any cursor reads them back, and the cursors woken. Events that do not continue the held
     * ones (a gap: something was committed elsewhere, or not yet read) are left to the usual read.
     */
    void offer(List<StoredEvent> committed) {
        boolean added = false;
        lock.lock();
        try {
            for (StoredEvent e : committed) {
                long newest = recent.isEmpty() ? -1 : recent.peekLast().seq();
                if (e.seq() <= newest) {
                    continue;
                }
                // An empty feed may start anywhere: cursors before its first event read that part as a catch-up.
                if (newest >= 0 && e.seq() != newest + 1) {
                    break;
                }
                recent.addLast(EncodedEvent.of(e));
                added = true;
            }
            if (!added) {
                return;
            }
            while (recent.size() > capacity) {
                recent.removeFirst();
            }
            announcedSeq = Math.max(announcedSeq, recent.peekLast().seq());
        } finally {
            lock.unlock();
        }
        wakeForNewEvents();
    }

    private void readAhead() {
        try {
            long before = newestHeld();
            while (before >= 0) {
                try {
                    fetchFrom(before);
                } catch (StoreException e) {
                    // Safe to leave: the woken cursors read it themselves and tell their clients the store is unavailable.
                    break;
                }
                long after = newestHeld();
                if (after <= before || !behind()) {
                    break;
                }
                before = after;
            }
        } finally {
            readingAhead.set(false);
            wakeForNewEvents();
        }
        if (behind() && readingAhead.compareAndSet(false, true)) {
            // Announced while the read-ahead finished: read again rather than leave it to every cursor.
            Thread.ofVirtual().name("stream-read-ahead").start(this::readAhead);
        }
    }

    /** The seq of the newest event held, or -1 when none is. */
    private long newestHeld() {
        lock.lock();
        try {
            return recent.isEmpty() ? -1 : recent.peekLast().seq();
        } finally {
            lock.unlock();
        }
    }

    /** The log is announced beyond the recent events held. */
    private boolean behind() {
        lock.lock();
        try {
            return !recent.isEmpty() && recent.peekLast().seq() < announcedSeq;
        } finally {
            lock.unlock();
        }
    }

    void forEachCursor(Consumer<Cursor> action) {
        cursors.forEach(action);
    }

    /** The job no longer exists (deleted here, or found missing by the head check). */
    void markGone() {
        gone = true;
        wakeAll();
    }

    boolean isGone() {
        return gone;
    }

    /** Wakes every cursor so it looks at the log and the hub's state (shutdown, store outage). */
    void wakeAll() {
        cursors.forEach(Cursor::wake);
    }

    /**
     * The feed holds new events: one virtual thread hands them to every cursor, each written without blocking where
     * the cursor can take it so ({@link Cursor#wakeForLiveEvents}), instead of a thread started per cursor.
     */
    private void wakeForNewEvents() {
        if (cursors.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("stream-fan-out").start(() -> cursors.forEach(Cursor::wakeForLiveEvents));
    }

    /**
     * Up to {@code max} events after {@code after} when this feed holds all that the log is known to have after it
     * (none need reading); null otherwise.
     */
    List<EncodedEvent> heldAfter(long after, int max) {
        lock.lock();
        try {
            if (recent.isEmpty() || gone || after + 1 < recent.peekFirst().seq() || announcedSeq > recent.peekLast().seq()) {
                return null;
            }
            return after >= recent.peekLast().seq() ? List.of() : recentAfter(after, max);
        } finally {
            lock.unlock();
        }
    }

    /** Up to {@code max} events after {@code after}, in order; empty when the log is not known to have more. */
    List<EncodedEvent> eventsAfter(long after, int max) {
        while (true) {
            lock.lock();
            try {
                if (!recent.isEmpty()) {
                    long first = recent.peekFirst().seq();
                    if (after + 1 >= first && after < recent.peekLast().seq()) {
                        return recentAfter(after, max);
                    }
                    if (after + 1 < first) {
                        lock.unlock();
                        try {
                            return catchUp(after, max);
                        } finally {
                            lock.lock();
                        }
                    }
                }
                if (announcedSeq <= after) {
                    return List.of();
                }
            } finally {
                lock.unlock();
            }
            if (!fetchFrom(after)) {
                return List.of();
            }
        }
    }

    /**
     * Reads the announced events beyond the cache (or beyond {@code after} when the cache is empty)
     * once: cursors that come while it reads wait for that read. False when nothing could be read.
     */
    private boolean fetchFrom(long after) {
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
                return true;
            }
            List<StoredEvent> fetched = store.readEvents(jobId, from, (int) Math.min(to - from, FETCH_PAGE));
            lock.lock();
            try {
                for (StoredEvent e : fetched) {
                    // The read is everything after the cache's end, in order; gaps in it are ranges retention compacted away.
                    if (!recent.isEmpty() && e.seq() <= recent.peekLast().seq()) {
                        continue;
                    }
                    recent.addLast(EncodedEvent.of(e));
                }
                while (recent.size() > capacity) {
                    recent.removeFirst();
                }
                if (fetched.isEmpty()) {
                    // Announced but not readable (e.g. the store rolled back): wait for the next announcement.
                    announcedSeq = from;
                    return false;
                }
                return true;
            } finally {
                lock.unlock();
            }
        } finally {
            fetchLock.unlock();
        }
    }

    /** Events after {@code after} from the shared page that holds {@code after + 1}. */
    private List<EncodedEvent> catchUp(long after, int max) {
        return slice(page(after / FETCH_PAGE * FETCH_PAGE, after), after, max);
    }

    /**
     * Events {@code start + 1 … start + FETCH_PAGE}: read by the first cursor that needs them while
     * the others wait for that read. The log only grows, so a kept page stays true; a page that
     * ended before the log grew is read again by the first cursor it has nothing left for.
     */
    private List<EncodedEvent> page(long start, long after) {
        CompletableFuture<List<EncodedEvent>> mine = new CompletableFuture<>();
        CompletableFuture<List<EncodedEvent>> kept;
        synchronized (catchUpPages) {
            kept = catchUpPages.putIfAbsent(start, mine);
        }
        if (kept != null) {
            List<EncodedEvent> events;
            try {
                events = kept.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            if (!events.isEmpty() && events.getLast().seq() > after) {
                return events;
            }
            // Rare (the log outgrew a partial page while cursors were behind): this cursor re-reads it.
            List<EncodedEvent> reread = readPage(start);
            synchronized (catchUpPages) {
                catchUpPages.put(start, CompletableFuture.completedFuture(reread));
            }
            return reread;
        }
        try {
            List<EncodedEvent> events = readPage(start);
            mine.complete(events);
            return events;
        } catch (RuntimeException e) {
            synchronized (catchUpPages) {
                catchUpPages.remove(start, mine);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private List<EncodedEvent> readPage(long start) {
        return store.readEvents(jobId, start, FETCH_PAGE).stream().map(EncodedEvent::of).toList();
    }

    /** From the newest end: a live cursor wants the last event or two, not a walk through the whole cache. */
    private List<EncodedEvent> recentAfter(long after, int max) {
        List<EncodedEvent> out = new ArrayList<>();
        for (Iterator<EncodedEvent> it = recent.descendingIterator(); it.hasNext(); ) {
            EncodedEvent e = it.next();
            if (e.seq() <= after) {
                break;
            }
            out.add(e);
        }
        Collections.reverse(out);
        return out.size() > max ? out.subList(0, max) : out;
    }

    /** At most {@code max} of {@code events} (in seq order) after {@code after}. */
    private static List<EncodedEvent> slice(Collection<EncodedEvent> events, long after, int max) {
        List<EncodedEvent> out = new ArrayList<>(Math.min(max, events.size()));
        for (EncodedEvent e : events) {
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
