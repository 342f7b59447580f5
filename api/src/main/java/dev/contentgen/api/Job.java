package dev.contentgen.api;

import java.time.Instant;
import java.util.List;

/**
 * A job as the API shows it; {@code artifacts} is empty in list views; {@code audience} is null when
 * not given; {@code provider} and {@code model} are what the job runs with; {@code owner} is whose
 * job it is (the name of the key that created it, or {@code local}); {@code usage} sums its steps'
 * tokens and cost (single-job views only); {@code queue} is its place in the queue while it waits
 * (single-job views of a pending job only).
 */
public record Job(
        String id,
        String topic,
        Format format,
        Tone tone,
        Length length,
        String audience,
        JobStatus status,
        int attempt,
        long lastSeq,
        Instant createdAt,
        Instant updatedAt,
        JobError error,
        List<Artifact> artifacts,
        String provider,
        String model,
        String owner,
        JobRevision revision,
        UsageTotals usage,
        QueuePosition queue) {

    public Job(String id, String topic, Format format, Tone tone, Length length, String audience, JobStatus status,
               int attempt, long lastSeq, Instant createdAt, Instant updatedAt, JobError error, List<Artifact> artifacts,
               String provider, String model, String owner) {
        this(id, topic, format, tone, length, audience, status, attempt, lastSeq, createdAt, updatedAt, error, artifacts,
                provider, model, owner, null);
    }

    public Job(String id, String topic, Format format, Tone tone, Length length, String audience, JobStatus status,
               int attempt, long lastSeq, Instant createdAt, Instant updatedAt, JobError error, List<Artifact> artifacts,
               String provider, String model, String owner, JobRevision revision) {
        this(id, topic, format, tone, length, audience, status, attempt, lastSeq, createdAt, updatedAt, error, artifacts,
                provider, model, owner, revision, null, null);
    }

    public Job withQueue(QueuePosition queue) {
        return new Job(id, topic, format, tone, length, audience, status, attempt, lastSeq, createdAt, updatedAt, error,
                artifacts, provider, model, owner, revision, usage, queue);
    }
}
