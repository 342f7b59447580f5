package dev.contentgen.client;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * Reads one job's event log across as many connections as it takes: the single copy of the
 * resume logic behind both {@link EventStream} and {@link EventPublisher}. Every break reconnects
 * with {@code Last-Event-ID} = the last seq delivered, so each event is delivered once, in order.
 */
final class Resumer extends ReconnectingReader {
    private final String jobId;
    private long lastSeq;

    Resumer(Http http, String jobId, long afterSeq, RetryPolicy policy, Backoff backoff, Duration idleTimeout,
            IdleWatchdog watchdog, ClientListener listener) {
        super(http, policy, backoff, idleTimeout, watchdog, listener);
        this.jobId = jobId;
        this.lastSeq = afterSeq;
    }

    long lastSeq() {
        return lastSeq;
    }

    @Override
    protected HttpRequest request() {
        return http.request("api/jobs/" + Http.segment(jobId) + "/events?snapshots=1")
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", Long.toString(lastSeq))
                .GET().build();
    }

    @Override
    protected String what() {
        return "the events of job " + jobId;
    }

    @Override
    protected String jobOfAnswers() {
        return jobId;
    }

    @Override
    protected void connected() {
        listener.onConnected(jobId, lastSeq);
    }

    @Override
    protected void noContent() {
        // The log already ended at our resume point: nothing more will come.
    }

    @Override
    protected LoggedEvent event(SseReader.Message.Event e) {
        if (!JobEvent.isKnownType(e.name())) {
            passOver(e);
            return null;
        }
        LoggedEvent event;
        try {
            event = Json.readEvent(e.data());
        } catch (RuntimeException bad) {
            throw fail(new Failure.UnexpectedResponse("Cannot read event " + e.id() + " (" + e.name() + ") of job " + jobId
                    + ": " + bad.getMessage() + " Is this SDK older than the server?"));
        }
        // A snapshot stands for every event up to its seq (a range the server compacted): the one allowed jump.
        if (!advanceTo(event.seq(), event.event() instanceof JobEvent.Snapshot)) {
            return null;
        }
        if (event.isTerminal()) {
            finish();
        }
        return event;
    }

    /**
     * An event of a type this SDK does not know (a newer server's): not delivered, but it is part of the
     * job's log, so it moves the resume point like any other. Without an id it is a stream-level message: ignored.
     */
    private void passOver(SseReader.Message.Event e) {
        if (e.id() == null || !e.id().matches("\\d{1,18}")) {
            return;
        }
        long seq = Long.parseLong(e.id());
        if (advanceTo(seq, false)) {
            listener.onUnknownEvent(jobId, seq, e.name());
        }
    }

    /** Moves the resume point to {@code seq} (beyond the next one only for a snapshot); false for an event already delivered (a replay after a reconnect). */
    private boolean advanceTo(long seq, boolean snapshot) {
        if (seq <= lastSeq) {
            return false;
        }
        if (seq != lastSeq + 1 && !snapshot) {
            throw fail(new Failure.UnexpectedResponse("Event " + seq + " of job " + jobId + " arrived right after "
                    + lastSeq + ": the server skipped events."));
        }
        lastSeq = seq;
        progressed();
        return true;
    }

    @Override
    protected void errorEvent(SseReader.Message.Event e) {
        Failure.ErrorEvent error = readError(e);
        listener.onErrorEvent(jobId, error);
        streamError(error);
    }
}
