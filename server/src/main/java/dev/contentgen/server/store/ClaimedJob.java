package dev.contentgen.server.store;

import dev.contentgen.api.JobRequest;
import java.util.List;

/**
 * A job a worker has just leased: what to run, where to resume, the artifacts finished so far,
 * and the number of this run (its lease fence); {@code lastSeq} is where its log ends now.
 */
public record ClaimedJob(String id, JobRequest request, int attempt, int nextStep, long lastSeq,
                         List<FinishedArtifact> finished, long runNumber) {
    public JobRun run() {
        return new JobRun(id, runNumber);
    }

    /** A completed artifact of an earlier step: later steps read it (the sections see the outline). */
    public record FinishedArtifact(int step, String kind, String title, String content) {}
}
