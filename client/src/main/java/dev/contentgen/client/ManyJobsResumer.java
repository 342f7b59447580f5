package dev.contentgen.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads the logs of several jobs over one multiplexed stream ({@code GET /api/events}) across as many
 * connections as it takes. It keeps each job's last delivered seq; every reconnect names the jobs still
 * running and sends their seqs as the Last-Event-ID vector, so each job's events are delivered once, in
 * order. A job leaves the stream after its terminal event, or with its own error event (not found, deleted).
 */
final class ManyJobsResumer implements AutoCloseable {
    private final Http http;
    private final RetryPolicy policy;
    private final Backoff backoff;
    private final Duration idleTimeout;
    private final IdleWatchdog watchdog;
    private final ClientListener listener;
    private final CountDownLatch closedSignal = new CountDownLatch(1);
    /** Every job's last delivered seq, in the order the caller named them. */
    private final Map<String, Long> lastSeqs = new LinkedHashMap<>();
    /** The jobs still to follow: not ended, not failed. */
    private final List<String> following = new ArrayList<>();
    private final Map<String, Failure.ErrorEvent> jobFailures = new LinkedHashMap<>();

    private Duration serverRetry;
    private Duration retryAfter;
    private int failuresInARow;
    private int unreachableInARow;
    private Failure.ErrorEvent lastErrorEvent;
    private boolean finished;
    private volatile boolean closed;
    private volatile Connection connection;
    private volatile CompletableFuture<?> connecting;

    ManyJobsResumer(Http http, Map<String, Long> afterSeqs, RetryPolicy policy, Backoff backoff, Duration idleTimeout,
                    IdleWatchdog watchdog, ClientListener listener) {
        this.http = http;
        this.policy = policy;
        this.backoff = backoff;
        this.idleTimeout = idleTimeout;
        this.watchdog = watchdog;
        this.listener = listener;
        lastSeqs.putAll(afterSeqs);
        following.addAll(afterSeqs.keySet());
        finished = following.isEmpty();
    }

    /** Each job's last delivered seq, in the order the jobs were named. */
    Map<String, Long> lastSeqs() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(lastSeqs));
    }

    /** The jobs that left the stream with an error of their own (e.g. JOB_NOT_FOUND), with it. */
    Map<String, Failure.ErrorEvent> jobFailures() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(jobFailures));
    }

    /** The next event of any of the jobs, or null once every job has ended or failed (or this was closed). */
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
            case null -> endOfConnection(new Failure.ConnectionClosed("The server closed the stream before every job finished."));
            case SseReader.Message.Retry retry -> serverRetry = retry.delay();
            case SseReader.Message.Comment comment -> { }
            case SseReader.Message.Event e when e.name().equals("error") -> onErrorEvent(e);
            case SseReader.Message.Event e when e.id() == null -> { } // a message without a place in any log (a newer server's)
            case SseReader.Message.Event e -> {
                return deliverable(e);
            }
        }
        return null;
    }

    private void endOfConnection(Failure seen) {
        boolean idle = connection.body.expired();
        dropConnection();
        Failure cause = idle ? idleTimeout() : lastErrorEvent != null ? lastErrorEvent : seen;
        lastErrorEvent = null;
        if (!closed && !finished) {
            backOffOrThrow(cause);
        }
    }

    private LoggedEvent deliverable(SseReader.Message.Event e) {
        JsonNode data;
        try {
            data = Json.read(e.data(), JsonNode.class);
        } catch (RuntimeException bad) {
            throw fail(new Failure.UnexpectedResponse("Cannot read an event (" + e.name() + "): " + bad.getMessage()));
        }
        String jobId = data.path("jobId").asText(null);
        long seq = data.path("seq").asLong(-1);
        if (jobId == null || seq < 0 || !lastSeqs.containsKey(jobId)) {
            throw fail(new Failure.UnexpectedResponse("An event (" + e.name() + ") of the multiplexed stream names no job of it: " + e.data()));
        }
        if (!JobEvent.isKnownType(e.name())) {
            // A newer server's event type: not delivered, but part of its job's log, so it moves the job's resume point.
            if (advanceTo(jobId, seq, false)) {
                listener.onUnknownEvent(jobId, seq, e.name());
            }
            return null;
        }
        LoggedEvent event;
        try {
            event = Json.readEvent(e.data());
        } catch (RuntimeException bad) {
            throw fail(new Failure.UnexpectedResponse("Cannot read event " + seq + " (" + e.name() + ") of job " + jobId
                    + ": " + bad.getMessage() + " Is this SDK older than the server?"));
        }
        if (!advanceTo(jobId, seq, event.event() instanceof JobEvent.Snapshot)) {
            return null;
        }
        if (event.isTerminal()) {
            leave(jobId);
        }
        return event;
    }

    private boolean advanceTo(String jobId, long seq, boolean snapshot) {
        long last = lastSeqs.get(jobId);
        if (seq <= last) {
            return false;
        }
        if (seq != last + 1 && !snapshot) {
            throw fail(new Failure.UnexpectedResponse("Event " + seq + " of job " + jobId + " arrived right after "
                    + last + ": the server skipped events."));
        }
        lastSeqs.put(jobId, seq);
        failuresInARow = 0;
        lastErrorEvent = null;
        return true;
    }

    /** The job is done with (its terminal event, or its own error): it is not asked for again; when none is left, the stream ends. */
    private void leave(String jobId) {
        following.remove(jobId);
        if (following.isEmpty()) {
            finished = true;
            dropConnection();
        }
    }

    private void onErrorEvent(SseReader.Message.Event e) {
        String jobId = null;
        Failure.ErrorEvent error;
        try {
            JsonNode body = Json.read(e.data(), JsonNode.class);
            jobId = body.path("jobId").asText(null);
            error = new Failure.ErrorEvent(code(body.path("code").asText("")), body.path("message").asText(e.data()),
                    body.path("retryable").asBoolean(true));
        } catch (RuntimeException bad) {
            error = new Failure.ErrorEvent(null, "The server reported an error: " + e.data(), true);
        }
        if (jobId != null && lastSeqs.containsKey(jobId)) {
            // About one job (unknown to this caller, deleted, finished below its resume point): the others go on.
            listener.onErrorEvent(jobId, error);
            jobFailures.put(jobId, error);
            leave(jobId);
            return;
        }
        listener.onErrorEvent(null, error);
        if (!error.retryable()) {
            throw fail(error);
        }
        lastErrorEvent = error;
    }

    private static ErrorCode code(String text) {
        try {
            return ErrorCode.valueOf(text);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private boolean connect() {
        StringBuilder query = new StringBuilder("api/events?snapshots=1");
        StringBuilder vector = new StringBuilder();
        for (String jobId : following) {
            query.append("&job=").append(URLEncoder.encode(jobId, StandardCharsets.UTF_8));
            vector.append(vector.isEmpty() ? "" : ",").append(lastSeqs.get(jobId));
        }
        HttpRequest request = http.request(query.toString())
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", vector.toString())
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
            throw new CancellationException("interrupted while connecting to the events of jobs " + following);
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
            following.forEach(jobId -> listener.onConnected(jobId, lastSeqs.get(jobId)));
            return true;
        }
        String body = readSome(response.body());
        if (status == 204) {
            // Every job's log already ended at its resume point.
            following.clear();
            finished = true;
            return false;
        }
        Failure failure = status == 200
                ? new Failure.UnexpectedResponse("The server answered " + contentType + " instead of an event stream; is "
                        + http.base() + " the contentgen server, and does a proxy rewrite the answer?")
                : Failures.ofStatus(status, contentType, body, response.headers().firstValue("Retry-After").orElse(null), null, http.base());
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
        listener.onRetrying(new ClientListener.Retrying("reconnecting to the events of " + following.size() + " job(s)",
                failuresInARow + 1, delay, failure));
        try {
            closedSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting to reconnect to the events of jobs " + following);
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

    private static final class Connection {
        final IdleWatchdog.Watched body;
        final SseReader reader;

        Connection(IdleWatchdog.Watched body) {
            this.body = body;
            this.reader = new SseReader(body);
        }
    }
}
