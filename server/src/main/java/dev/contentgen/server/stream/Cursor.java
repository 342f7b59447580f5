package dev.contentgen.server.stream;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.store.StoredEvent;
import dev.contentgen.server.time.Backoff;
import java.io.IOException;
import java.util.List;

/**
 * A subscriber's position in one job's event log: replays what it missed, follows live events,
 * sends heartbeats, and turns trouble into {@code error} events instead of a dead socket.
 */
public final class Cursor {
    private static final int BATCH = 200;

    private final String jobId;
    private final long after;
    private final StreamHub hub;
    private final StreamHub.Subscription subscription;
    private final StreamSettings settings;
    private final long replayUpTo;
    private final StreamTracker tracker;
    /** Sent first, in place of the compacted range the resume point lies in (decided by {@link StreamOpener}); null for none. */
    private final StoredEvent openingSnapshot;
    /** What stands for a range of the log compacted away, when the cursor meets one. */
    private final GapFill gapFill;
    /** The last seq the client has: what it sent as its resume point, then each event written. */
    private long position;
    /** The last seq read from the log; behind {@link #position} only while the stream waits beyond the end. */
    private long read;

    /**
     * @param after      the client's resume point (its Last-Event-ID)
     * @param lastSeq    the job's last seq when the stream opened: events up to it count as replayed
     */
    Cursor(String jobId, long after, long lastSeq, StreamHub hub, StreamHub.Subscription subscription, StreamSettings settings,
           StreamTracker tracker, StoredEvent openingSnapshot, GapFill gapFill) {
        this.tracker = tracker;
        this.openingSnapshot = openingSnapshot;
        this.gapFill = gapFill;
        this.jobId = jobId;
        this.after = after;
        this.position = after;
        // Beyond the end of a running job the cursor still reads the log from its end, unsent, to see the job finish below the resume point.
        this.read = Math.min(after, lastSeq);
        this.replayUpTo = lastSeq;
        this.hub = hub;
        this.subscription = subscription;
        this.settings = settings;
    }

    /** Streams to {@code writer} until the job's end, the client's, or the node's; closes the subscription. */
    public EndReason run(SseWriter writer) {
        StreamObserver observer = tracker.opened(jobId, after, replayUpTo);
        StreamLog.start(jobId, position);
        EndReason reason;
        try {
            writer.begin(settings.clientRetry());
            reason = follow(writer, observer);
        } catch (IOException e) {
            // A client that stops reading blocks our write until Jetty's idle timeout gives up on it.
            reason = causedByTimeout(e) ? EndReason.WRITE_TIMEOUT : EndReason.CLIENT_CLOSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = EndReason.INTERRUPTED;
        } finally {
            subscription.close();
        }
        observer.ended(reason, position);
        return reason;
    }

    void close() {
        subscription.close();
    }

    private EndReason follow(SseWriter writer, StreamObserver observer) throws IOException, InterruptedException {
        long heartbeatNanos = settings.heartbeat().toNanos();
        long nextHeartbeat = System.nanoTime() + heartbeatNanos;
        int storeFailures = 0;
        boolean outageReported = false;
        if (openingSnapshot != null) {
            EndReason end = deliver(writer, observer, openingSnapshot);
            writer.flush();
            if (end != null) {
                return end;
            }
        }
        while (true) {
            if (hub.isShuttingDown()) {
                writer.error(StreamMessages.shuttingDown());
                writer.flush();
                return EndReason.SHUTDOWN;
            }
            if (subscription.jobGone()) {
                StreamLog.error(jobId, "the job was deleted while streaming");
                writer.error(StreamMessages.jobDeleted(jobId));
                writer.flush();
                return EndReason.JOB_DELETED;
            }
            List<StoredEvent> events;
            try {
                events = subscription.next(read, BATCH, Math.max(0, nextHeartbeat - System.nanoTime()));
                storeFailures = 0;
            } catch (StoreException e) {
                storeFailures++;
                observer.storeError();
                StreamLog.error(jobId, "store unavailable (failure " + storeFailures + "), retrying: " + e.getMessage());
                writer.error(StreamMessages.storeUnavailable());
                writer.flush();
                nextHeartbeat = System.nanoTime() + heartbeatNanos;
                Thread.sleep(backoffMillis(storeFailures));
                continue;
            }
            if (events.isEmpty()) {
                boolean heartbeatDue = System.nanoTime() - nextHeartbeat >= 0;
                if (hub.isStoreUnreachable() && (!outageReported || heartbeatDue)) {
                    // Said at once, then once per heartbeat: the client knows why nothing moves.
                    StreamLog.error(jobId, "store unreachable; live updates paused");
                    writer.error(StreamMessages.storeUnavailable());
                    writer.flush();
                    outageReported = true;
                    nextHeartbeat = System.nanoTime() + heartbeatNanos;
                    continue;
                }
                outageReported = hub.isStoreUnreachable();
                if (heartbeatDue) {
                    writer.comment("keepalive");
                    writer.flush();
                    nextHeartbeat = System.nanoTime() + heartbeatNanos;
                }
                continue;
            }
            boolean wrote = false;
            for (StoredEvent event : events) {
                if (event.seq() <= read) {
                    continue;
                }
                if (event.seq() > position + 1 && position >= read) {
                    // Retention compacted the range after this stream's position: a snapshot or the rebuilt deltas stand for it.
                    for (StoredEvent filler : gapFill.fill(position, event)) {
                        wrote = true;
                        EndReason end = deliver(writer, observer, filler);
                        if (end != null) {
                            return end;
                        }
                    }
                    if (event.seq() <= read) {
                        continue;
                    }
                }
                read = event.seq();
                if (event.seq() <= position) {
                    // The client claims to have it (its resume point lies beyond the end); it only tells us whether the job ended.
                    if (event.terminal()) {
                        return endBelowResumePoint(writer, event.seq());
                    }
                    continue;
                }
                wrote = true;
                EndReason end = deliver(writer, observer, event);
                if (end != null) {
                    return end;
                }
            }
            if (wrote) {
                writer.flush();
                nextHeartbeat = System.nanoTime() + heartbeatNanos;
            }
        }
    }

    /** Writes one job event (a snapshot too: its id is the seq it stands for); the reason to end when it was the terminal one, else null. */
    private EndReason deliver(SseWriter writer, StreamObserver observer, StoredEvent event) throws IOException {
        writer.event(event.seq(), event.type(), event.data());
        position = event.seq();
        read = Math.max(read, event.seq());
        observer.written(event);
        if (!event.terminal()) {
            return null;
        }
        writer.flush();
        JobStatus status = switch (Json.readEvent(event.data()).event()) {
            case JobEvent.Status s -> s.status();
            case JobEvent.Snapshot s -> s.status().status();
            default -> JobStatus.COMPLETED;
        };
        StreamLog.complete(jobId, status, event.seq());
        return switch (status) {
            case FAILED -> EndReason.JOB_FAILED;
            case CANCELLED -> EndReason.JOB_CANCELLED;
            default -> EndReason.JOB_COMPLETED;
        };
    }

    /**
     * The job ended at {@code lastSeq} while the stream waited for a later one. At the terminal event itself the
     * client has everything (a reconnect gets 204); below it, the resume point never existed: a final error says so.
     */
    private EndReason endBelowResumePoint(SseWriter writer, long lastSeq) throws IOException {
        if (lastSeq == position) {
            return EndReason.ALREADY_COMPLETE;
        }
        StreamLog.error(jobId, "the job finished at " + lastSeq + ", below the resume point " + position);
        writer.error(StreamMessages.beyondEndEvent(jobId, lastSeq, position));
        writer.flush();
        return EndReason.BEYOND_END;
    }

    private static boolean causedByTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private long backoffMillis(int failures) {
        return Backoff.of(settings.storeRetryMin(), settings.storeRetryMax()).delay(failures).toMillis();
    }
}
