package dev.contentgen.server.stream;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every stream of this node from its opening to its end: counts it in the metrics, and keeps the open streams
 * and the last ends of each job in memory, to answer "why did my stream stop?" ({@code GET /api/jobs/{id}/streams}).
 */
public final class StreamTracker {
    /** Ends kept per job. */
    static final int ENDS_KEPT = 20;
    /** Jobs whose ends are kept, the most recently ended first; bounded so that old jobs cannot pile up. */
    static final int JOBS_KEPT = 1_000;

    private final StreamMetrics metrics;
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Set<StreamObserver>> open = new ConcurrentHashMap<>();
    private final Map<String, Deque<StreamReport.End>> ends = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<StreamReport.End>> eldest) {
            return size() > JOBS_KEPT;
        }
    };

    /** {@code clock}: the one the store stamps events with, so delivery lag compares like with like. */
    public StreamTracker(MeterRegistry meters, Clock clock) {
        this.metrics = new StreamMetrics(meters);
        this.clock = clock;
    }

    /** A stream opens for {@code jobId} after the client's resume point; events up to {@code lastSeq} count as replayed. */
    public StreamObserver opened(String jobId, long after, long lastSeq) {
        StreamObserver observer = new StreamObserver(this, ids.incrementAndGet(), jobId, after, lastSeq, clock.instant());
        open.compute(jobId, (id, streams) -> {
            Set<StreamObserver> set = streams != null ? streams : ConcurrentHashMap.newKeySet();
            set.add(observer);
            return set;
        });
        metrics.opened(after > 0);
        return observer;
    }

    /** A stream request was answered without a stream (204, 400, 404, or a single retryable error event). */
    public void notOpened(String jobId, long after, EndReason reason) {
        metrics.notOpened(reason);
        Instant now = clock.instant();
        remember(jobId, new StreamReport.End(ids.incrementAndGet(), false, reason.logName(), now, now, 0, after, 0, 0, after));
    }

    /** The store failed before a stream could open. */
    public void storeErrorWhileOpening() {
        metrics.storeErrorWhileOpening();
    }

    /** The job's open streams on this node and its last ends, newest first. */
    public StreamReport report(String jobId) {
        List<StreamReport.Open> opened = open.getOrDefault(jobId, Set.of()).stream().map(StreamObserver::snapshot)
                .sorted(Comparator.comparingLong(StreamReport.Open::stream)).toList();
        List<StreamReport.End> ended;
        synchronized (ends) {
            Deque<StreamReport.End> kept = ends.get(jobId);
            ended = kept == null ? List.of() : new ArrayList<>(kept);
        }
        return new StreamReport(jobId, null, opened, ended);
    }

    void ended(StreamObserver observer, EndReason reason) {
        open.computeIfPresent(observer.jobId(), (id, streams) -> {
            streams.remove(observer);
            return streams.isEmpty() ? null : streams;
        });
        metrics.ended(reason);
        remember(observer.jobId(), observer.end(reason, clock.instant()));
    }

    private void remember(String jobId, StreamReport.End end) {
        synchronized (ends) {
            Deque<StreamReport.End> kept = ends.computeIfAbsent(jobId, id -> new ArrayDeque<>());
            kept.addFirst(end);
            if (kept.size() > ENDS_KEPT) {
                kept.removeLast();
            }
        }
    }

    StreamMetrics metrics() {
        return metrics;
    }

    long nowMillis() {
        return clock.millis();
    }
}
