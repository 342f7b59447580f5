package dev.contentgen.server.stream;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.api.StreamError;
import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.store.StoredEvent;
import dev.contentgen.server.time.Backoff;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscriber's position in one job's event log: replays what it missed, follows live events,
 * sends heartbeats, and turns trouble into {@code error} events instead of a dead socket.
 */
public final class Cursor {
    private static final Logger log = LoggerFactory.getLogger(Cursor.class);
    private static final int BATCH = 200;

    /** Why a stream ended; logged with every [STREAM_END]. */
    public enum EndReason { JOB_COMPLETED, JOB_FAILED, JOB_CANCELLED, CLIENT_CLOSED, WRITE_TIMEOUT, SHUTDOWN, INTERRUPTED }

    private final String jobId;
    private final StreamHub hub;
    private final StreamHub.Subscription subscription;
    private final SseWriter writer;
    private final StreamSettings settings;
    private final long replayUpTo;
    private long position;
    private long sent;
    private long replayed;

    /**
     * @param after      the client's resume point (its Last-Event-ID)
     * @param replayUpTo the job's last seq when the stream opened: events up to it count as replayed
     */
    public Cursor(String jobId, long after, long replayUpTo, StreamHub hub, StreamHub.Subscription subscription,
                  SseWriter writer, StreamSettings settings) {
        this.jobId = jobId;
        this.position = after;
        this.replayUpTo = replayUpTo;
        this.hub = hub;
        this.subscription = subscription;
        this.writer = writer;
        this.settings = settings;
    }

    public EndReason run() {
        long started = System.nanoTime();
        log.info("[STREAM_START] job={} after={}", jobId, position);
        EndReason reason;
        try {
            writer.retry(settings.clientRetry().toMillis());
            writer.flush();
            reason = follow();
        } catch (IOException e) {
            // A client that stops reading blocks our write until Jetty's idle timeout gives up on it.
            reason = causedByTimeout(e) ? EndReason.WRITE_TIMEOUT : EndReason.CLIENT_CLOSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = EndReason.INTERRUPTED;
        } finally {
            subscription.close();
        }
        log.info("[STREAM_END] job={} reason={} sent={} replayed={} lastSeq={} durationMs={}",
                jobId, reason.name().toLowerCase(), sent, replayed, position, (System.nanoTime() - started) / 1_000_000);
        return reason;
    }

    private EndReason follow() throws IOException, InterruptedException {
        long heartbeatNanos = settings.heartbeat().toNanos();
        long nextHeartbeat = System.nanoTime() + heartbeatNanos;
        int storeFailures = 0;
        boolean outageReported = false;
        while (true) {
            if (hub.isShuttingDown()) {
                writer.error(new StreamError(ErrorCode.SERVER_SHUTTING_DOWN,
                        "This server is restarting. Reconnect to continue; nothing is lost.", true));
                writer.flush();
                return EndReason.SHUTDOWN;
            }
            List<StoredEvent> events;
            try {
                events = subscription.next(position, BATCH, Math.max(0, nextHeartbeat - System.nanoTime()));
                storeFailures = 0;
            } catch (StoreException e) {
                storeFailures++;
                log.warn("[STREAM_ERROR] job={} store unavailable (failure {}), retrying: {}", jobId, storeFailures, e.getMessage());
                writer.error(storeUnavailable());
                writer.flush();
                nextHeartbeat = System.nanoTime() + heartbeatNanos;
                Thread.sleep(backoffMillis(storeFailures));
                continue;
            }
            if (events.isEmpty()) {
                boolean heartbeatDue = System.nanoTime() - nextHeartbeat >= 0;
                if (hub.isStoreUnreachable() && (!outageReported || heartbeatDue)) {
                    // Said at once, then once per heartbeat: the client knows why nothing moves.
                    log.warn("[STREAM_ERROR] job={} store unreachable; live updates paused", jobId);
                    writer.error(storeUnavailable());
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
            for (StoredEvent event : events) {
                writer.event(event.seq(), event.type(), event.data());
                position = event.seq();
                sent++;
                if (event.seq() <= replayUpTo) {
                    replayed++;
                }
                if (event.terminal()) {
                    writer.flush();
                    JobStatus status = Json.readEvent(event.data()).event() instanceof JobEvent.Status s
                            ? s.status() : JobStatus.COMPLETED;
                    log.info("[STREAM_COMPLETE] job={} status={} seq={}", jobId, status.wireName(), event.seq());
                    return switch (status) {
                        case FAILED -> EndReason.JOB_FAILED;
                        case CANCELLED -> EndReason.JOB_CANCELLED;
                        default -> EndReason.JOB_COMPLETED;
                    };
                }
            }
            writer.flush();
            nextHeartbeat = System.nanoTime() + heartbeatNanos;
        }
    }

    private static boolean causedByTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static StreamError storeUnavailable() {
        return new StreamError(ErrorCode.STORE_UNAVAILABLE,
                "The database is unavailable; the stream keeps trying and will resume where it was.", true);
    }

    private long backoffMillis(int failures) {
        return Backoff.of(settings.storeRetryMin(), settings.storeRetryMax()).delay(failures).toMillis();
    }
}
