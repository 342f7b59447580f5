package dev.contentgen.server.store;

import dev.contentgen.api.JobRequest;
import java.util.List;

/**
 * A job a worker has just leased: what to run, where to resume, the artifacts finished so far,
 * and the number of this run (its lease fence); {@code lastSeq} is where its log ends now;
 * {@code revision} is null unless the job regenerates a step of a parent job.
 */
public record ClaimedJob(String id, JobRequest request, int attempt, int nextStep, long lastSeq,
                         List<FinishedArtifact> finished, long runNumber, Revision revision) {
    public ClaimedJob(String id, JobRequest request, int attempt, int nextStep, long lastSeq,
                      List<FinishedArtifact> finished, long runNumber) {
        this(id, request, attempt, nextStep, lastSeq, finished, runNumber, null);
    }

    public JobRun run() {
        return new JobRun(id, runNumber);
    }

    /** A completed artifact of an earlier step: later steps read it (the sections see the outline). */
    public record FinishedArtifact(int step, String kind, String title, String content) {}

    /**
     * What a revision reruns and what it may copy: the step key it regenerates, the instruction for
     * it (null: none), its revision number, and the parent's completed artifacts (empty when the
     * parent was deleted before the revision ran).
     */
    public record Revision(String parentId, int number, String step, String instruction, List<FinishedArtifact> parentArtifacts) {}
}
