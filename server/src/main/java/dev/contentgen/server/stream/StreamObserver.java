package dev.contentgen.server.stream;

import dev.contentgen.server.store.StoredEvent;
import java.time.Instant;

/**
 * One open stream as its cursor reports it: counts what it writes (replayed or live, with the live events'
 * delivery lag), the store errors it meets, and logs and records its end. Written by the stream's one writer
 * and read by {@code GET /api/jobs/{id}/streams}, hence the volatile fields.
 */
public final class StreamObserver {
    private final StreamTracker tracker;
    private final long id;
    private final String jobId;
    private final long after;
    private final long replayUpTo;
    private final Instant openedAt;
    private final long startedNanos = System.nanoTime();
    private volatile long sent;
    private volatile long replayed;
    private volatile long lastSeq;
    private volatile boolean ended;

    StreamObserver(StreamTracker tracker, long id, String jobId, long after, long replayUpTo, Instant openedAt) {
        this.tracker = tracker;
        this.id = id;
        this.jobId = jobId;
        this.after = after;
        this.replayUpTo = replayUpTo;
        this.openedAt = openedAt;
        this.lastSeq = after;
    }

    /** The stream wrote {@code event}: replayed if it was in the log when the stream opened, live otherwise. */
    public void written(StoredEvent event) {
        sent++;
        lastSeq = event.seq();
        if (event.seq() <= replayUpTo) {
            replayed++;
            tracker.metrics().replayed();
        } else {
            tracker.metrics().live(tracker.nowMillis() - event.createdAtMillis());
        }
    }

    /** The store failed while the stream read it; the stream goes on. */
    public void storeError() {
        tracker.metrics().storeErrorWhileStreaming();
    }

    /** The stream ended, its client holding the log up to {@code position}: logs [STREAM_END] and records it, once. */
    public void ended(EndReason reason, long position) {
        if (ended) {
            return;
        }
        ended = true;
        lastSeq = position;
        StreamLog.end(jobId, reason, after, sent, replayed, position, startedNanos);
        tracker.ended(this, reason);
    }

    StreamReport.Open snapshot() {
        return new StreamReport.Open(id, openedAt, after, after > 0, sent, replayed, lastSeq);
    }

    StreamReport.End end(EndReason reason, Instant endedAt) {
        return new StreamReport.End(id, true, reason.logName(), openedAt, endedAt, (System.nanoTime() - startedNanos) / 1_000_000,
                after, sent, replayed, lastSeq);
    }

    String jobId() {
        return jobId;
    }
}
