package dev.contentgen.server.stream;

import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoredEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-job fan-out on this node: keeps a feed for every job someone is watching, and wakes its
 * cursors when the notifier says the job's log grew. Jobs nobody watches cost nothing.
 */
public final class StreamHub implements Notifier.Listener {
    private final Store store;
    private final int cacheCapacity;
    private final Map<String, JobFeed> feeds = new ConcurrentHashMap<>();
    private final AtomicInteger openStreams = new AtomicInteger();
    private volatile boolean shuttingDown;

    public StreamHub(Store store, int cacheCapacity) {
        this.store = store;
        this.cacheCapacity = cacheCapacity;
    }

    /** A cursor's hold on a job's feed; close it when the stream ends. */
    public final class Subscription implements AutoCloseable {
        private final JobFeed feed;
        private boolean closed;

        private Subscription(JobFeed feed) {
            this.feed = feed;
        }

        /** The log is known to reach {@code seq} (e.g. read from the job's row at stream start). */
        public void announce(long seq) {
            feed.announce(seq);
        }

        /** Events after {@code after}; empty if none came within the wait or the hub is shutting down. */
        public List<StoredEvent> next(long after, int max, long maxWaitNanos) throws InterruptedException {
            return feed.next(after, max, maxWaitNanos);
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            openStreams.decrementAndGet();
            feeds.computeIfPresent(feed.jobId, (id, f) -> --f.subscribers == 0 ? null : f);
        }
    }

    public Subscription subscribe(String jobId) {
        JobFeed feed = feeds.compute(jobId, (id, existing) -> {
            JobFeed f = existing != null ? existing : new JobFeed(id, store, cacheCapacity);
            f.subscribers++;
            return f;
        });
        openStreams.incrementAndGet();
        if (shuttingDown) {
            feed.wakeAll();
        }
        return new Subscription(feed);
    }

    @Override
    public void onAppended(String jobId, long lastSeq) {
        JobFeed feed = feeds.get(jobId);
        if (feed != null) {
            feed.announce(lastSeq);
        }
    }

    /** Stops every stream: each cursor wakes, sends SERVER_SHUTTING_DOWN and closes. */
    public void shutdown() {
        shuttingDown = true;
        feeds.values().forEach(JobFeed::wakeAll);
    }

    /**
     * After {@link #shutdown()}: waits, at most {@code limit}, until every stream has sent its goodbye and ended,
     * so that stopping the HTTP server does not cut one mid-write (the client would lose the goodbye).
     */
    public boolean awaitNoOpenStreams(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (openStreams.get() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    public int openStreams() {
        return openStreams.get();
    }
}
