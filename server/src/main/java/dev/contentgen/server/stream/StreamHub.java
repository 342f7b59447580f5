package dev.contentgen.server.stream;

import dev.contentgen.server.notify.Notifier;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoredEvent;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Per-job fan-out on this node: keeps a feed for every job someone is watching, and wakes its
 * cursors when the notifier says the job's log grew, or when the periodic head check finds that
 * it grew unannounced. Jobs nobody watches cost nothing. No thread waits per stream: a woken
 * cursor drains on a virtual thread of its own that ends when the cursor has written what is new,
 * and one timer serves every stream's heartbeats and store-retry backoffs.
 */
public final class StreamHub implements Notifier.Listener {
    private static final int IDLE_FEEDS = 16;
    private final Store store;
    private final int cacheCapacity;
    private final Map<String, JobFeed> feeds = new ConcurrentHashMap<>();
    /**
     * The feeds of the last few jobs nobody watches any more, with their recent events and catch-up
     * pages: the next subscriber, often a reconnect or one of a crowd that arrives one by one,
     * starts from memory instead of the store. Bounded, so idle jobs cannot pile up.
     */
    private final Map<String, JobFeed> idleFeeds = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobFeed> eldest) {
            return size() > IDLE_FEEDS;
        }
    };
    private final AtomicInteger openStreams = new AtomicInteger();
    private volatile boolean shuttingDown;
    private volatile boolean storeUnreachable;
    private final HeadCheck headCheck;
    private final HeartbeatSweep heartbeats;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("stream-timer").daemon().factory());
    private final ThreadFactory drains = Thread.ofVirtual().name("stream-drain").factory();
    private final LongAdder drainsStarted = new LongAdder();
    private final JobListFeed jobList;

    /** {@code headCheckPeriod}: how long a lost notification can delay a stream at most; {@code heartbeat}: the keepalive interval. */
    public StreamHub(Store store, int cacheCapacity, Duration headCheckPeriod, Duration heartbeat, MeterRegistry meters) {
        this.store = store;
        this.cacheCapacity = cacheCapacity;
        this.headCheck = new HeadCheck(store, headCheckPeriod, this::watchedJobs, this::onAppended, this::onDeleted);
        this.heartbeats = new HeartbeatSweep(heartbeat, this::forEachHeartbeating);
        this.jobList = new JobListFeed(store, drains);
        store.onEventsCommitted(this::onCommitted);
        Gauge.builder("contentgen.streams.open", openStreams, AtomicInteger::get).register(meters);
        Gauge.builder("contentgen.streams.watched.jobs", feeds, Map::size).register(meters);
        FunctionCounter.builder("contentgen.streams.drains", drainsStarted, LongAdder::sum)
                .description("stream drains run on a thread of their own: openings, catch-ups, heartbeats, ends, and a live event"
                        + " a stream could not take without blocking").register(meters);
        FunctionCounter.builder("contentgen.streams.head.checks", headCheck, HeadCheck::checks)
                .description("periodic checks of the watched jobs' last seq (the safety net under the notifier)").register(meters);
    }

    /** Starts the periodic head check and the heartbeat sweep. */
    public StreamHub start() {
        headCheck.start();
        heartbeats.start(timer);
        return this;
    }

    /** Runs a cursor's drain: a virtual thread that lives while the cursor writes, so a blocked client blocks only itself. */
    void drain(Runnable drain) {
        drainsStarted.increment();
        drains.newThread(drain).start();
    }

    /** Wakes {@code cursor} after {@code delayNanos} (a store-retry backoff). */
    void wakeLater(Cursor cursor, long delayNanos) {
        timer.schedule(cursor::wake, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void forEachHeartbeating(Consumer<Heartbeating> action) {
        feeds.values().forEach(feed -> feed.forEachCursor(action::accept));
        jobList.forEachStream(action::accept);
    }

    private Set<String> watchedJobs() {
        return Set.copyOf(feeds.keySet());
    }

    /** A cursor's hold on a job's feed; close it when the stream ends. */
    public final class Subscription implements AutoCloseable {
        private final JobFeed feed;
        /** False for a job of a multiplexed stream: the stream counts as one open stream, not one per job. */
        private final boolean counted;
        private final AtomicBoolean closed = new AtomicBoolean();
        private Cursor cursor;
        private volatile StreamQuota.Slot slot = StreamQuota.UNLIMITED;

        private Subscription(JobFeed feed, boolean counted) {
            this.feed = feed;
            this.counted = counted;
        }

        /** The log is known to reach {@code seq} (e.g. read from the job's row at stream start). */
        public void announce(long seq) {
            feed.announce(seq);
        }

        /** The stream's slot of its owner's limit: given back when this subscription closes, before the stream stops counting. */
        void hold(StreamQuota.Slot slot) {
            this.slot = slot;
        }

        /** From now on {@code cursor} is woken when the job's log grows or the hub changes state. */
        void attach(Cursor cursor) {
            this.cursor = cursor;
            feed.attach(cursor);
        }

        /**
         * The job's head for a stream opening at {@code after}, read by {@code read} or reused from an opening of moments
         * ago (see {@link JobFeed#head}); while the store is unreachable, always read, so the opening meets the outage.
         */
        Optional<Store.JobHead> head(long after, Supplier<Optional<Store.JobHead>> read) {
            return storeUnreachable ? read.get() : feed.head(after, read);
        }

        /** True once the job was deleted: the stream ends with JOB_DELETED. */
        boolean jobGone() {
            return feed.isGone();
        }

        /** Events after {@code after} when the job's feed holds all that is known after it; null when some need reading. */
        List<EncodedEvent> heldAfter(long after, int max) {
            return feed.heldAfter(after, max);
        }

        /** Events after {@code after}, from memory or read once for every cursor of the job; empty if none is known. */
        List<EncodedEvent> eventsAfter(long after, int max) {
            return feed.eventsAfter(after, max);
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            if (cursor != null) {
                feed.detach(cursor);
            }
            // The slot first: a node that no longer counts the stream has given its slot back (the owner's next one opens).
            try {
                slot.close();
            } finally {
                if (counted) {
                    openStreams.decrementAndGet();
                }
            }
            feeds.computeIfPresent(feed.jobId, (id, f) -> {
                if (--f.subscribers > 0) {
                    return f;
                }
                synchronized (idleFeeds) {
                    idleFeeds.put(id, f);
                }
                return null;
            });
        }
    }

    public Subscription subscribe(String jobId) {
        return subscribe(jobId, true);
    }

    /** {@code counted}: false for a job of a multiplexed stream, which counts once as a whole ({@link #multiplexOpened()}). */
    Subscription subscribe(String jobId, boolean counted) {
        JobFeed feed = feeds.compute(jobId, (id, existing) -> {
            JobFeed f = existing != null ? existing : idleOrNew(id);
            f.subscribers++;
            return f;
        });
        if (counted) {
            openStreams.incrementAndGet();
        }
        return new Subscription(feed, counted);
    }

    /** A multiplexed stream opened: one open stream, however many jobs it carries. */
    void multiplexOpened() {
        openStreams.incrementAndGet();
    }

    void multiplexClosed() {
        openStreams.decrementAndGet();
    }

    /** From now on {@code stream} hears of every change of a job's status on any node (the live job list). */
    void watchJobList(MultiplexStream stream) {
        jobList.add(stream);
    }

    void unwatchJobList(MultiplexStream stream) {
        jobList.remove(stream);
    }

    /** A job was created or changed status (on any node): the streams that carry the job list of its owner hear of it. */
    @Override
    public void onStatusChanged(String jobId) {
        jobList.changed(jobId);
    }

    /** An idle feed is brought up to date by its new cursor, which announces the job's head when it starts. */
    private JobFeed idleOrNew(String jobId) {
        JobFeed idle;
        synchronized (idleFeeds) {
            idle = idleFeeds.remove(jobId);
        }
        return idle != null ? idle : new JobFeed(jobId, store, cacheCapacity);
    }

    /** Events this node committed go to the feeds of their jobs straight away (the notification that follows finds them held). */
    private void onCommitted(List<StoredEvent> events) {
        int from = 0;
        while (from < events.size()) {
            String jobId = events.get(from).jobId();
            int to = from + 1;
            while (to < events.size() && events.get(to).jobId().equals(jobId)) {
                to++;
            }
            JobFeed feed = feeds.get(jobId);
            if (feed != null) {
                feed.offer(events.subList(from, to));
            }
            from = to;
        }
    }

    @Override
    public void onAppended(String jobId, long lastSeq) {
        JobFeed feed = feeds.get(jobId);
        if (feed != null) {
            feed.announce(lastSeq);
        }
    }

    /** The job was deleted (by this node, or found missing by the head check): its streams here end. */
    public void onDeleted(String jobId) {
        JobFeed feed = feeds.get(jobId);
        if (feed != null) {
            feed.markGone();
        }
        synchronized (idleFeeds) {
            idleFeeds.remove(jobId);
        }
    }

    @Override
    public void onStoreUnreachable() {
        storeUnreachable = true;
        feeds.values().forEach(JobFeed::wakeAll);
        jobList.wakeAll();
    }

    /** True while the notifier has lost the store: streams tell their clients so. */
    public boolean isStoreUnreachable() {
        return storeUnreachable;
    }

    /** Checks the head of every watched job now (one query), so a notification lost in an outage costs nothing. */
    @Override
    public void onResync() {
        storeUnreachable = false;
        headCheck.soon();
    }

    /**
     * Stops every stream: each cursor wakes, sends SERVER_SHUTTING_DOWN and closes. Waits up to
     * {@code grace} for them to finish, because stopping the HTTP server first would cut the
     * sockets before that message is written and clients would only see a dropped connection.
     */
    public void shutdown(Duration grace) {
        shuttingDown = true;
        headCheck.stop();
        heartbeats.stop();
        feeds.values().forEach(JobFeed::wakeAll);
        jobList.wakeAll();
        long deadline = System.nanoTime() + grace.toNanos();
        while (openStreams.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        timer.shutdownNow();
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    public int openStreams() {
        return openStreams.get();
    }
}
