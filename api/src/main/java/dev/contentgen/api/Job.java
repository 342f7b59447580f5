package dev.contentgen.api;

import java.time.Instant;
import java.util.List;

/** A job as the API shows it; {@code artifacts} is empty in list views. */
public record Job(
        String id,
        String topic,
        Format format,
        Tone tone,
        Length length,
        JobStatus status,
        int attempt,
        long lastSeq,
        Instant createdAt,
        Instant updatedAt,
        JobError error,
        List<Artifact> artifacts,
        String provider,
        String model) {

    public Job(String id, String topic, Format format, Tone tone, Length length, JobStatus status, int attempt,
               long lastSeq, Instant createdAt, Instant updatedAt, JobError error, List<Artifact> artifacts) {
        this(id, topic, format, tone, length, status, attempt, lastSeq, createdAt, updatedAt, error, artifacts, null, null);
    }
}
