package dev.contentgen.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the logs of several jobs over one multiplexed stream ({@code GET /api/events}) across as many
 * connections as it takes. It keeps each job's last delivered seq; every reconnect names the jobs still
 * running and sends their seqs as the Last-Event-ID vector, so each job's events are delivered once, in
 * order. A job leaves the stream after its terminal event, or with its own error event (not found, deleted).
 */
final class ManyJobsResumer extends ReconnectingReader {
    /** Every job's last delivered seq, in the order the caller named them. */
    private final Map<String, Long> lastSeqs = new LinkedHashMap<>();
    /** The jobs still to follow: not ended, not failed. */
    private final List<String> following = new ArrayList<>();
    private final Map<String, Failure.ErrorEvent> jobFailures = new LinkedHashMap<>();

    ManyJobsResumer(Http http, Map<String, Long> afterSeqs, RetryPolicy policy, Backoff backoff, Duration idleTimeout,
                    IdleWatchdog watchdog, ClientListener listener) {
        super(http, policy, backoff, idleTimeout, watchdog, listener);
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

    @Override
    protected HttpRequest request() {
        StringBuilder query = new StringBuilder("api/events?snapshots=1");
        StringBuilder vector = new StringBuilder();
        for (String jobId : following) {
            query.append("&job=").append(URLEncoder.encode(jobId, StandardCharsets.UTF_8));
            vector.append(vector.isEmpty() ? "" : ",").append(lastSeqs.get(jobId));
        }
        return http.request(query.toString())
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", vector.toString())
                .GET().build();
    }

    @Override
    protected String what() {
        return "the events of " + following.size() + " job(s)";
    }

    @Override
    protected String jobOfAnswers() {
        return null;
    }

    @Override
    protected void connected() {
        following.forEach(jobId -> listener.onConnected(jobId, lastSeqs.get(jobId)));
    }

    @Override
    protected void noContent() {
        // Every job's log already ended at its resume point.
        following.clear();
    }

    @Override
    protected LoggedEvent event(SseReader.Message.Event e) {
        if (e.id() == null) {
            return null; // a message without a place in any log (a newer server's)
        }
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
        progressed();
        return true;
    }

    /** The job is done with (its terminal event, or its own error): it is not asked for again; when none is left, the stream ends. */
    private void leave(String jobId) {
        following.remove(jobId);
        if (following.isEmpty()) {
            finish();
        }
    }

    @Override
    protected void errorEvent(SseReader.Message.Event e) {
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
        streamError(error);
    }

    private static ErrorCode code(String text) {
        try {
            return ErrorCode.valueOf(text);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }
}
