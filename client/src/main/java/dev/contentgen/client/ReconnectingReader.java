package dev.contentgen.client;

import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.api.StreamError;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An event stream read across as many connections as it takes: connecting, telling a dead connection from a
 * closed one, backing off (the server's {@code retry:} and {@code Retry-After} as the floor) and giving up on
 * what retrying cannot fix. What to ask for and what to do with each event is the subclass's: one job's log
 * ({@link Resumer}) or several jobs' over one multiplexed stream ({@link ManyJobsResumer}).
 */
abstract class ReconnectingReader implements AutoCloseable {
    protected final Http http;
    protected final ClientListener listener;
    private final RetryPolicy policy;
    private final Backoff backoff;
    private final Duration idleTimeout;
    private final IdleWatchdog watchdog;
    private final CountDownLatch closedSignal = new CountDownLatch(1);

    private Duration serverRetry;
    private Duration retryAfter;
    private int failuresInARow;
    private int unreachableInARow;
    private Failure.ErrorEvent lastErrorEvent;
    /** Nothing more will come: the log (or every log) has ended, or the reader gave up. */
    protected boolean finished;
    private volatile boolean closed;
    private volatile Connection connection;
    private volatile CompletableFuture<?> connecting;

    ReconnectingReader(Http http, RetryPolicy policy, Backoff backoff, Duration idleTimeout, IdleWatchdog watchdog,
                       ClientListener listener) {
        this.http = http;
        this.policy = policy;
        this.backoff = backoff;
        this.idleTimeout = idleTimeout;
        this.watchdog = watchdog;
        this.listener = listener;
    }

    /** The request that opens the stream from where the reader is now (its resume point or vector). */
    protected abstract HttpRequest request();

    /** What is read, for messages: "the events of job …". */
    protected abstract String what();

    /** The job a failed answer is about, for its message; null when it is about several. */
    protected abstract String jobOfAnswers();

    /** A connection opened: tell the listener. */
    protected abstract void connected();

    /** A 204: the server has nothing more to send from where the reader is. */
    protected abstract void noContent();

    /** An event with a name other than {@code error}: the one to deliver, or null (a replay, a type this SDK does not know). */
    protected abstract LoggedEvent event(SseReader.Message.Event e);

    /** An {@code error} event; {@link #streamError} handles one about the whole stream. */
    protected abstract void errorEvent(SseReader.Message.Event e);

    /** The next event to deliver, or null once nothing more will come (or this was closed). */
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
            LoggedEvent event = switch (message) {
                case null -> {
                    endOfConnection(new Failure.ConnectionClosed("The server closed the stream before " + what() + " ended."));
                    yield null;
                }
                case SseReader.Message.Retry retry -> {
                    serverRetry = retry.delay();
                    yield null;
                }
                case SseReader.Message.Comment comment -> null;
                case SseReader.Message.Event e when e.name().equals("error") -> {
                    errorEvent(e);
                    yield null;
                }
                case SseReader.Message.Event e -> event(e);
            };
            if (event != null) {
                return event;
            }
        }
        return null;
    }

    /** The stream moved forward: failures before this one no longer count, nor does an error event before it. */
    protected void progressed() {
        failuresInARow = 0;
        lastErrorEvent = null;
    }

    /** Nothing more will come; the connection is let go. */
    protected void finish() {
        finished = true;
        dropConnection();
    }

    /** Reads an error event's body; one the SDK cannot read counts as retryable. */
    protected static Failure.ErrorEvent readError(SseReader.Message.Event e) {
        try {
            StreamError body = Json.read(e.data(), StreamError.class);
            return new Failure.ErrorEvent(body.code(), body.message(), body.retryable());
        } catch (RuntimeException bad) {
            return new Failure.ErrorEvent(null, "The server reported an error: " + e.data(), true);
        }
    }

    /** An error about the whole stream: the end if it is final, else the cause the next break is reported with. */
    protected void streamError(Failure.ErrorEvent error) {
        if (!error.retryable()) {
            throw fail(error);
        }
        lastErrorEvent = error;
    }

    /** Gives up: nothing more will be read, and the caller learns why. */
    protected ContentGenException fail(Failure failure) {
        finish();
        return new ContentGenException(failure);
    }

    /** The connection ended (cleanly or not) before the stream did: finds the real cause, then backs off. */
    private void endOfConnection(Failure seen) {
        boolean idle = connection.body.expired();
        dropConnection();
        // The server ends a stream right after an error event it sent (e.g. SERVER_SHUTTING_DOWN): that is the cause.
        Failure cause = idle ? idleTimeout() : lastErrorEvent != null ? lastErrorEvent : seen;
        lastErrorEvent = null;
        if (!closed && !finished) {
            backOffOrThrow(cause);
        }
    }

    /** Opens a connection from where the reader is; false when it failed (after backing off) or nothing more will come. */
    private boolean connect() {
        HttpResponse<InputStream> response;
        try {
            CompletableFuture<HttpResponse<InputStream>> pending = http.client().sendAsync(request(), HttpResponse.BodyHandlers.ofInputStream());
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
            throw new CancellationException("interrupted while connecting to " + what());
        } finally {
            connecting = null;
        }
        int status = response.statusCode();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (status == 200 && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            connection = new Connection(watchdog.watch(response.body(), idleTimeout));
            unreachableInARow = 0;
            retryAfter = null;
            if (closed) {
                dropConnection();
                return false;
            }
            connected();
            return true;
        }
        String body = readSome(response.body());
        if (status == 204) {
            noContent();
            finished = true;
            return false;
        }
        Failure failure = status == 200
                ? new Failure.UnexpectedResponse("The server answered " + contentType + " instead of an event stream; is "
                        + http.base() + " the contentgen server, and does a proxy rewrite the answer?")
                : Failures.ofStatus(status, contentType, body, response.headers().firstValue("Retry-After").orElse(null), jobOfAnswers(),
                        http.base());
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
        listener.onRetrying(new ClientListener.Retrying("reconnecting to " + what(), failuresInARow + 1, delay, failure));
        try {
            // Waits on the close signal, so close() ends the wait at once.
            closedSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting to reconnect to " + what());
        }
    }

    private Failure idleTimeout() {
        return new Failure.TimedOut(idleTimeout, "No data (not even a heartbeat) for " + idleTimeout.toMillis()
                + " ms: the connection is dead or a proxy holds the stream back.");
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
