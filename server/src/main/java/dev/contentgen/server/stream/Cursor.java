package dev.contentgen.server.stream;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.store.StoredEvent;
import dev.contentgen.server.time.Backoff;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber's position in one job's event log: replays what it missed, follows live events,
 * sends heartbeats, and turns trouble into {@code error} events instead of a dead socket.
 *
 * <p>A cursor owns no thread. It is woken (the log grew, a heartbeat is due, the hub changed
 * state) and then drains on a short-lived virtual thread: writes what is new and returns. At most
 * one drain runs at a time, so a stream's writes never interleave, and a client that stops
 * reading blocks only its own drain until the write times out. New live events it can take as they
 * are go out without a drain, through a write that does not block ({@link #wakeForLiveEvents}).
 */
public final class Cursor implements Heartbeating {
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
    private final CompletableFuture<EndReason> done = new CompletableFuture<>();
    /** Wake-ups not yet drained; the drain that takes it from 0 is the only one running. */
    private final AtomicInteger wakeups = new AtomicInteger();
    /** Read by the heartbeat sweep too. */
    private volatile CursorOutput writer;
    private StreamObserver observer;
    /** The last seq the client has: what it sent as its resume point, then each event written. */
    private long position;
    /** The last seq read from the log; behind {@link #position} only while the stream waits beyond the end. */
    private long read;
    private int storeFailures;
    private long retryAtNanos;
    private boolean outageReported;
    private boolean ended;
    private volatile boolean heartbeatDue;
    /** Set from outside (the multiplexed stream this cursor is part of ended): the next drain ends with it. */
    private volatile EndReason stopRequested;

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

    /**
     * Starts streaming to {@code writer}: the first drain writes the {@code retry:} line and what the client missed in
     * one write (a socket write less per opening). It runs on a drain thread, as later drains do, and the caller's
     * thread returns at once: running the replay on the request's thread widened a race between a client that resets
     * its HTTP/2 stream at the first bytes and the request's recycling (Http2SlowReaderTest). The future completes
     * with the reason when the job, the client or the node ended the stream.
     */
    public CompletableFuture<EndReason> start(SseWriter writer) {
        return start((CursorOutput) writer);
    }

    CompletableFuture<EndReason> start(CursorOutput writer) {
        this.writer = writer;
        observer = tracker.opened(jobId, after, replayUpTo);
        StreamLog.start(jobId, position);
        try {
            writer.begin(settings.clientRetry());
            if (openingSnapshot != null) {
                EncodedEvent snapshot = EncodedEvent.of(openingSnapshot);
                send(List.of(snapshot));
                if (snapshot.terminal()) {
                    end(endedBy(snapshot));
                    return done;
                }
            }
        } catch (IOException e) {
            end(EndReason.CLIENT_CLOSED);
            return done;
        }
        subscription.attach(this);
        wake();
        return done;
    }

    /** Something may have changed: drains soon on a virtual thread, unless a drain is running (it will look again). */
    void wake() {
        if (wakeups.getAndIncrement() == 0) {
            hub.drain(this::drain);
        }
    }

    /**
     * Its job's feed holds new events. Where nothing else needs doing (no drain running, nothing to read, to end or
     * to say) and the output can write without blocking, they are written from here at once and the cursor needs no
     * thread: the completion of the write moves it on. Otherwise it drains as {@link #wake} does.
     */
    void wakeForLiveEvents() {
        if (!wakeups.compareAndSet(0, 1)) {
            wake(); // a drain runs (it will look again), or one just finished
            return;
        }
        if (!writeLiveWithoutBlocking()) {
            hub.drain(this::drain); // this call holds the wake-up it took: the drain delivers as if woken
        }
    }

    /** Writes the held events after the client's position without blocking; false where the drain must do it. */
    private boolean writeLiveWithoutBlocking() {
        if (ended || stopRequested != null || heartbeatDue || storeFailures > 0 || outageReported || read != position
                || !(writer instanceof SseWriter out) || !out.writesWithoutBlocking()
                || hub.isShuttingDown() || hub.isStoreUnreachable() || subscription.jobGone()) {
            return false;
        }
        List<EncodedEvent> events = subscription.heldAfter(read, BATCH);
        if (events == null) {
            return false;
        }
        for (int i = 0; i < events.size(); i++) {
            EncodedEvent event = events.get(i);
            // A gap (a compacted range) or the job's end: the drain handles those.
            if (event.terminal() || event.seq() != position + 1 + i) {
                return false;
            }
        }
        if (events.isEmpty()) {
            liveWritten(events, null);
        } else {
            out.eventsWithoutBlocking(events, failure -> liveWritten(events, failure));
        }
        return true;
    }

    /** The live write finished (or there was nothing to write): moves the position on and hands the cursor back. */
    private void liveWritten(List<EncodedEvent> events, Throwable failure) {
        if (failure == null && !events.isEmpty()) {
            sent(events);
        }
        if (failure != null) {
            // Ended on a drain thread: ending completes the response, which is not work for the thread that saw the failure.
            hub.drain(() -> {
                end(causedByTimeout(failure) ? EndReason.WRITE_TIMEOUT : EndReason.CLIENT_CLOSED);
                drain(); // hands back this wake-up and any that came meanwhile
            });
        } else if (!wakeups.compareAndSet(1, 0)) {
            hub.drain(this::drain); // woken meanwhile
        }
    }

    /** Called by the heartbeat sweep: when nothing was written for about an interval, a keepalive goes out. */
    @Override
    public void heartbeatIfDue(long nowNanos, long dueAfterNanos) {
        if (writer != null && nowNanos - writer.lastWriteNanos() >= dueAfterNanos) {
            heartbeatDue = true;
            wake();
        }
    }

    /** Releases the subscription of a stream that never started (idempotent). */
    void close() {
        subscription.close();
    }

    /** Ends this cursor with {@code reason} at its next drain (its multiplexed stream ended); the future completes then. */
    void stop(EndReason reason) {
        stopRequested = reason;
        wake();
    }

    private void drain() {
        int seen;
        do {
            seen = wakeups.get();
            if (!ended) {
                deliver();
            }
        } while (!wakeups.compareAndSet(seen, 0));
    }

    private void deliver() {
        try {
            if (stopRequested != null) {
                end(stopRequested);
                return;
            }
            if (hub.isShuttingDown()) {
                writer.streamError(StreamMessages.shuttingDown());
                end(EndReason.SHUTDOWN);
                return;
            }
            if (subscription.jobGone()) {
                StreamLog.error(jobId, "the job was deleted while streaming");
                writer.jobError(jobId, StreamMessages.jobDeleted(jobId));
                end(EndReason.JOB_DELETED);
                return;
            }
            if (System.nanoTime() - retryAtNanos < 0) {
                return; // waiting out a store failure; the hub wakes this cursor when the backoff is over
            }
            List<EncodedEvent> events;
            while (!(events = readNext()).isEmpty()) {
                EndReason end = write(events);
                if (end != null) {
                    end(end);
                    return;
                }
            }
            if (storeFailures > 0) {
                return;
            }
            boolean heartbeat = heartbeatDue;
            heartbeatDue = false;
            boolean unreachable = hub.isStoreUnreachable();
            if (unreachable && (!outageReported || heartbeat)) {
                // Said at once, then once per heartbeat: the client knows why nothing moves.
                StreamLog.error(jobId, "store unreachable; live updates paused");
                writer.streamError(StreamMessages.storeUnavailable());
                outageReported = true;
                return;
            }
            outageReported = unreachable;
            if (heartbeat) {
                writer.keepalive();
            }
            writer.sendHeld(); // the opening had nothing to replay: its first bytes and the 200 go out alone
        } catch (IOException e) {
            // A client that stops reading blocks our write until Jetty's idle timeout gives up on it.
            end(causedByTimeout(e) ? EndReason.WRITE_TIMEOUT : EndReason.CLIENT_CLOSED);
        } catch (RuntimeException e) {
            StreamLog.error(jobId, "stream failed: " + e);
            end(EndReason.INTERNAL_ERROR);
        }
    }

    /** The next events from the feed; on a store failure, tells the client and sets a backoff (empty). */
    private List<EncodedEvent> readNext() throws IOException {
        try {
            List<EncodedEvent> events = subscription.eventsAfter(read, BATCH);
            storeFailures = 0;
            return events;
        } catch (StoreException e) {
            storeFailures++;
            observer.storeError();
            StreamLog.error(jobId, "store unavailable (failure " + storeFailures + "), retrying: " + e.getMessage());
            writer.streamError(StreamMessages.storeUnavailable());
            long backoff = Backoff.of(settings.storeRetryMin(), settings.storeRetryMax()).delay(storeFailures).toNanos();
            retryAtNanos = System.nanoTime() + backoff;
            hub.wakeLater(this, backoff);
            return List.of();
        }
    }

    /**
     * Writes {@code events} beyond the client's position in one write (with whatever stands for a
     * compacted range before them); the reason when the stream ends with them.
     */
    private EndReason write(List<EncodedEvent> events) throws IOException {
        List<EncodedEvent> toSend = new ArrayList<>(events.size());
        long pos = position;
        EncodedEvent terminal = null;
        for (EncodedEvent event : events) {
            if (event.seq() <= read) {
                continue;
            }
            if (event.seq() > pos + 1 && pos >= read) {
                // Retention compacted the range after this stream's position: a snapshot or the rebuilt deltas stand for it.
                for (StoredEvent filler : gapFill.fill(pos, event.event())) {
                    EncodedEvent encoded = EncodedEvent.of(filler);
                    toSend.add(encoded);
                    pos = encoded.seq();
                    read = Math.max(read, encoded.seq());
                    if (encoded.terminal()) {
                        terminal = encoded;
                        break;
                    }
                }
                if (terminal != null) {
                    break;
                }
                if (event.seq() <= read) {
                    continue;
                }
            }
            read = event.seq();
            if (event.seq() <= pos) {
                // The client claims to have it (its resume point lies beyond the end); it only tells us whether the job ended.
                if (event.terminal()) {
                    return endBelowResumePoint(event.seq());
                }
                continue;
            }
            toSend.add(event);
            pos = event.seq();
            if (event.terminal()) {
                terminal = event;
                break;
            }
        }
        if (toSend.isEmpty()) {
            return null;
        }
        send(toSend);
        return terminal == null ? null : endedBy(terminal);
    }

    /** One write of job events (a snapshot too: its id is the seq it stands for). */
    private void send(List<EncodedEvent> toSend) throws IOException {
        writer.events(toSend);
        sent(toSend);
    }

    /** {@code written} reached the client: its position moves on to their last. */
    private void sent(List<EncodedEvent> written) {
        position = written.getLast().seq();
        read = Math.max(read, position);
        written.forEach(e -> observer.written(e.event()));
    }

    private EndReason endedBy(EncodedEvent terminal) {
        JobStatus status = switch (Json.readEvent(terminal.event().data()).event()) {
            case JobEvent.Status s -> s.status();
            case JobEvent.Snapshot s -> s.status().status();
            default -> JobStatus.COMPLETED;
        };
        StreamLog.complete(jobId, status, terminal.seq());
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
    private EndReason endBelowResumePoint(long lastSeq) throws IOException {
        if (lastSeq == position) {
            writer.sendHeld();
            return EndReason.ALREADY_COMPLETE;
        }
        StreamLog.error(jobId, "the job finished at " + lastSeq + ", below the resume point " + position);
        writer.jobError(jobId, StreamMessages.beyondEndEvent(jobId, lastSeq, position));
        return EndReason.BEYOND_END;
    }

    private void end(EndReason reason) {
        if (ended) {
            return;
        }
        ended = true;
        observer.ended(reason, position);
        subscription.close();
        done.complete(reason);
    }

    private static boolean causedByTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
