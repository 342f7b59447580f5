package dev.contentgen.server.store;

import dev.contentgen.api.JobRequest;
import java.util.List;

/** A job a worker has just leased: what to run, where to resume, and the artifacts finished so far. */
public record ClaimedJob(String id, JobRequest request, int attempt, int nextStep, long lastSeq,
                         List<FinishedArtifact> finished) {
    /** A completed artifact of an earlier step: later steps read it (the sections see the outline). */
    public record FinishedArtifact(int step, String kind, String title, String content) {}
}
