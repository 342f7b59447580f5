package dev.contentgen.client;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.api.RegenerateRequest;
import dev.contentgen.api.RevisionList;
import dev.contentgen.api.StreamToken;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Flow;

/** The jobs API: create, get, list, cancel, regenerate a step, revisions, and each job's resumable event stream. */
public final class Jobs {
    private final ContentGenClient client;
    private final Http http;
    private final Calls calls;

    Jobs(ContentGenClient client, Http http, Calls calls) {
        this.client = client;
        this.http = http;
        this.calls = calls;
    }

    /** Creates a job under a fresh idempotency key, so retries after a lost answer never create a second job. */
    public Job create(JobRequest request) {
        return create(request, null);
    }

    /** Creates a job; the same key with the same request returns the same job (a null key gets a fresh one). */
    public Job create(JobRequest request, String idempotencyKey) {
        Objects.requireNonNull(request, "request");
        String key = idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
        HttpRequest post = http.request("api/jobs")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request)))
                .build();
        return calls.send("create job", post, null, r -> Json.read(r.body(), Job.class));
    }

    /** The job with its artifacts as far as they are written. */
    public Job get(String jobId) {
        HttpRequest get = http.request("api/jobs/" + Http.segment(jobId)).GET().build();
        return calls.send("get job " + jobId, get, jobId, r -> Json.read(r.body(), Job.class));
    }

    /** The newest jobs first, {@code limit} (1–100) at a time; pass the page's {@code nextCursor} (or null) for the next. */
    public JobPage list(String cursor, int limit) {
        return list(JobFilter.ALL, cursor, limit);
    }

    /**
     * The newest jobs that pass {@code filter} (some statuses, a topic that contains a text), {@code limit} at a
     * time; pass the page's {@code nextCursor} (or null) with the same filter for the next. An empty page when none
     * passes.
     */
    public JobPage list(JobFilter filter, String cursor, int limit) {
        Objects.requireNonNull(filter, "filter");
        String query = "?limit=" + limit + (cursor == null ? "" : "&cursor=" + Http.segment(cursor)) + filter.queryParameters();
        HttpRequest get = http.request("api/jobs" + query).GET().build();
        return calls.send("list jobs", get, null, r -> Json.read(r.body(), JobPage.class));
    }

    /** Cancels a job; a finished job cannot be cancelled (a {@link Failure.Rejected} with code JOB_FINISHED). */
    public CancelResult cancel(String jobId) {
        HttpRequest post = http.request("api/jobs/" + Http.segment(jobId) + "/cancel")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return calls.send("cancel job " + jobId, post, jobId,
                r -> new CancelResult(Json.read(r.body(), Job.class), r.statusCode() == 202));
    }

    /**
     * Deletes a job with its log and artifacts (a running job is cancelled first); it is not found
     * from then on. An unknown or already deleted job is a {@link Failure.JobNotFound}.
     */
    public void delete(String jobId) {
        HttpRequest delete = http.request("api/jobs/" + Http.segment(jobId)).DELETE().build();
        calls.send("delete job " + jobId, delete, jobId, r -> null);
    }

    /**
     * Regenerates one step of a completed job (e.g. {@code section-2}, optionally with an instruction such
     * as "shorter") under a fresh idempotency key: the answer is a new job, a revision that copies every
     * other finished step and reruns only that step and what depends on it; stream it with {@link #events}.
     * A job not completed is a {@link Failure.Rejected} with code JOB_NOT_COMPLETED, an unknown step UNKNOWN_STEP.
     */
    public Job regenerate(String jobId, RegenerateRequest request) {
        return regenerate(jobId, request, null);
    }

    /** As {@link #regenerate(String, RegenerateRequest)}; the same key with the same request returns the same revision. */
    public Job regenerate(String jobId, RegenerateRequest request, String idempotencyKey) {
        Objects.requireNonNull(request, "request");
        String key = idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
        HttpRequest post = http.request("api/jobs/" + Http.segment(jobId) + "/regenerate")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request)))
                .build();
        return calls.send("regenerate a step of job " + jobId, post, jobId, r -> Json.read(r.body(), Job.class));
    }

    /** The revision history of the piece {@code jobId} belongs to: its first job, then every revision in order. */
    public RevisionList revisions(String jobId) {
        HttpRequest get = http.request("api/jobs/" + Http.segment(jobId) + "/revisions").GET().build();
        return calls.send("revisions of job " + jobId, get, jobId, r -> Json.read(r.body(), RevisionList.class));
    }

    /**
     * A short-lived, read-only token for this job's event stream, for a browser that streams with
     * {@code GET /api/jobs/{id}/events?token=…} (EventSource cannot send the key).
     */
    public StreamToken streamToken(String jobId) {
        HttpRequest post = http.request("api/jobs/" + Http.segment(jobId) + "/stream-token")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return calls.send("stream token for job " + jobId, post, jobId, r -> Json.read(r.body(), StreamToken.class));
    }

    /**
     * The job's whole event log from the start, then live events until its terminal status. For a job whose
     * deltas retention compacted, a {@link dev.contentgen.api.JobEvent.Snapshot} stands for the events up to its seq.
     */
    public EventStream events(String jobId) {
        return events(jobId, 0);
    }

    /** The job's events after seq {@code afterSeq} (the last one you processed), then live events. */
    public EventStream events(String jobId, long afterSeq) {
        checkStreamArguments(jobId, afterSeq);
        return new EventStream(client.resumer(jobId, afterSeq));
    }

    /**
     * Follows several jobs on one connection, each from the start of its log: their events interleave as the jobs
     * run, each job's exactly once and in order, until every job has ended (or left with an error of its own).
     * One open stream against the key's limit, however many jobs (at most 100).
     */
    public ManyEventStream followAll(List<String> jobIds) {
        Objects.requireNonNull(jobIds, "jobIds");
        Map<String, Long> fromTheStart = new LinkedHashMap<>();
        jobIds.forEach(id -> fromTheStart.put(Objects.requireNonNull(id, "a job id"), 0L));
        return followAll(fromTheStart);
    }

    /** As {@link #followAll(List)}, each job after the seq given for it (the last one you processed, e.g. a previous stream's {@code lastSeqs()}). */
    public ManyEventStream followAll(Map<String, Long> afterSeqs) {
        Objects.requireNonNull(afterSeqs, "afterSeqs");
        if (afterSeqs.size() > 100) {
            throw new IllegalArgumentException("one stream follows at most 100 jobs, not " + afterSeqs.size());
        }
        afterSeqs.forEach(Jobs::checkStreamArguments);
        return new ManyEventStream(client.manyJobsResumer(new LinkedHashMap<>(afterSeqs)));
    }

    /** The same events as a {@link Flow.Publisher}: each subscription opens its own resuming stream. */
    public Flow.Publisher<LoggedEvent> publisher(String jobId, long afterSeq) {
        checkStreamArguments(jobId, afterSeq);
        return new EventPublisher(() -> events(jobId, afterSeq));
    }

    private static void checkStreamArguments(String jobId, long afterSeq) {
        Objects.requireNonNull(jobId, "jobId");
        if (afterSeq < 0) {
            throw new IllegalArgumentException("afterSeq must be >= 0, not " + afterSeq);
        }
    }
}
