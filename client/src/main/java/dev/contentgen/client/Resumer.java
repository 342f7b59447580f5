package dev.contentgen.client;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.api.StreamError;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads one job's event log across as many connections as it takes: the single copy of the
 * resume logic behind both {@link EventStream} and {@link EventPublisher}. Every break reconnects
 * with {@code Last-Event-ID} = the last seq delivered, so each event is delivered once, in order.
 */
final class Resumer implements AutoCloseable {
    private final Http http;
    private final String jobId;
    private final RetryPolicy policy;
    private final Backoff backoff;
    private final Duration idleTimeout;
    private final IdleWatchdog watchdog;
    private final ClientListener listener;
    private final CountDownLatch closedSignal = new CountDownLatch(1);

    private long lastSeq;
    private Duration serverRetry;
    private Duration retryAfter;
    private int failuresInARow;
    private int unreachableInARow;
    private Failure.ErrorEvent lastErrorEvent;
    private boolean finished;
    private volatile boolean closed;
    private volatile Connection connection;
    private volatile CompletableFuture<?> connecting;

    Resumer(Http http, String jobId, long afterSeq, RetryPolicy policy, Backoff backoff, Duration idleTimeout,
            IdleWatchdog watchdog, ClientListener listener) {
        this.http = http;
        this.jobId = jobId;
        this.lastSeq = afterSeq;
        this.policy = policy;
        this.backoff = backoff;
        this.idleTimeout = idleTimeout;
        this.watchdog = watchdog;
        this.listener = listener;
    }

    long lastSeq() {
        return lastSeq;
    }

    /** The next event of the job's log, or null once the log has ended (or this was closed). */
    LoggedEvent next() {
        while (!finished && !closed) {
            if (connection == null && !connect()) {
                continue;
            }
            SseReader.Message message;
            try {
                message = connection.reader.next();
            } catch (IOException e) {
                endOfConnection(Failures.ofException(e, http.base()));
                continue;
            }
            LoggedEvent event = handle(message);
            if (event != null) {
                return event;
            }
        }
        return null;
    }

    private LoggedEvent handle(SseReader.Message message) {
        switch (message) {
            case null -> endOfConnection(new Failure.ConnectionClosed("The server closed the stream before the job finished."));
            case SseReader.Message.Retry retry -> serverRetry = retry.delay();
            case SseReader.Message.Comment comment -> { }
            case SseReader.Message.Event e when e.name().equals("error") -> onErrorEvent(e);
            case SseReader.Message.Event e -> {
                return deliverable(e);
            }
        }
        return null;
    }

    /** The connection ended (cleanly or not) before the job did: finds the real cause, then backs off. */
    private void endOfConnection(Failure seen) {
        boolean idle = connection.body.expired();
        dropConnection();
        // The server ends a stream right after an error event it sent (e.g. SERVER_SHUTTING_DOWN): that is the cause.
        Failure cause = idle ? idleTimeout() : lastErrorEvent != null ? lastErrorEvent : seen;
        lastErrorEvent = null;
        if (!closed) {
            backOffOrThrow(cause);
        }
    }

    private LoggedEvent deliverable(SseReader.Message.Event e) {
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
            finished = true;
            dropConnection();
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
        failuresInARow = 0;
        lastErrorEvent = null;
        return true;
    }

    private void onErrorEvent(SseReader.Message.Event e) {
        Failure.ErrorEvent error;
        try {
            StreamError body = Json.read(e.data(), StreamError.class);
            error = new Failure.ErrorEvent(body.code(), body.message(), body.retryable());
        } catch (RuntimeException bad) {
            error = new Failure.ErrorEvent(null, "The server reported an error: " + e.data(), true);
        }
        listener.onErrorEvent(jobId, error);
        if (!error.retryable()) {
            throw fail(error);
        }
        lastErrorEvent = error;
    }

    /** Opens a connection from the last delivered seq; false when it failed (after backing off) or the log has ended. */
    private boolean connect() {
        HttpRequest request = http.request("api/jobs/" + Http.segment(jobId) + "/events?snapshots=1")
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", Long.toString(lastSeq))
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            CompletableFuture<HttpResponse<InputStream>> pending = http.client().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
            connecting = pending;
            if (closed) {
                pending.cancel(true);
            }
            response = pending.get();
        } catch (ExecutionException | CancellationException e) {
            if (!closed) {
                backOffOrThrow(Failures.ofException(e, http.base()));
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while connecting to the events of job " + jobId);
        } finally {
            connecting = null;
        }
        int status = response.statusCode();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (status == 200 && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream")) {
            connection = new Connection(watchdog.watch(response.body(), idleTimeout));
            unreachableInARow = 0;
            retryAfter = null;
            if (closed) {
                dropConnection();
                return false;
            }
            listener.onConnected(jobId, lastSeq);
            return true;
        }
        String body = readSome(response.body());
        if (status == 204) {
            // The log already ended at our resume point: nothing more will come.
            finished = true;
            return false;
        }
        Failure failure = status == 200
                ? new Failure.UnexpectedResponse("The server answered " + contentType + " instead of an event stream; is "
                        + http.base() + " the contentgen server, and does a proxy rewrite the answer?")
                : Failures.ofStatus(status, contentType, body, response.headers().firstValue("Retry-After").orElse(null), jobId, http.base());
        if (failure instanceof Failure.ServerUnavailable unavailable) {
            retryAfter = unavailable.retryAfter();
        }
        backOffOrThrow(failure);
        return false;
    }

    private void backOffOrThrow(Failure failure) {
        if (!failure.retryable()) {
            throw fail(failure);
        }
        if (failure instanceof Failure.ServerUnreachable unreachable) {
            if (++unreachableInARow >= policy.maxAttempts()) {
                throw fail(new Failure.ServerUnreachable(unreachable.server(),
                        unreachable.message() + " Gave up after " + unreachableInARow + " attempts."));
            }
        } else {
            unreachableInARow = 0;
        }
        failuresInARow++;
        Duration delay = backoff.delay(failuresInARow, longer(serverRetry, retryAfter));
        listener.onRetrying(new ClientListener.Retrying("reconnecting to the events of job " + jobId, failuresInARow + 1, delay, failure));
        try {
            // Waits on the close signal, so close() ends the wait at once.
            closedSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting to reconnect to the events of job " + jobId);
        }
    }

    private Failure idleTimeout() {
        return new Failure.TimedOut(idleTimeout, "No data (not even a heartbeat) for " + idleTimeout.toMillis()
                + " ms: the connection is dead or a proxy holds the stream back.");
    }

    private ContentGenException fail(Failure failure) {
        finished = true;
        dropConnection();
        return new ContentGenException(failure);
    }

    private void dropConnection() {
        Connection current = connection;
        connection = null;
        if (current != null) {
            current.body.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        closedSignal.countDown();
        CompletableFuture<?> pending = connecting;
        if (pending != null) {
            pending.cancel(true);
        }
        Connection current = connection;
        if (current != null) {
            current.body.close();
        }
    }

    private static Duration longer(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    private static String readSome(InputStream body) {
        try (body) {
            return new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** One open response: its watched body and the parser over it. */
    private static final class Connection {
        final IdleWatchdog.Watched body;
        final SseReader reader;

        Connection(IdleWatchdog.Watched body) {
            this.body = body;
            this.reader = new SseReader(body);
        }
    }
}
