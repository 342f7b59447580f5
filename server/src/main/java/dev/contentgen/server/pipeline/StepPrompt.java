package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobRequest;
import dev.contentgen.server.store.ClaimedJob.FinishedArtifact;
import java.util.List;

/**
 * Everything a provider needs for one step: the request, the step, the artifacts before it, and
 * the model to ask (resolved from the job or the server's default); {@code redo} is set only on
 * the step a revision regenerates.
 */
public record StepPrompt(JobRequest request, Step step, String title, List<FinishedArtifact> earlier, String model, Redo redo) {
    public StepPrompt(JobRequest request, Step step, String title, List<FinishedArtifact> earlier, String model) {
        this(request, step, title, earlier, model, null);
    }

    /** The step is written again: the revision's number, what to change (null: nothing said) and the text it replaces. */
    public record Redo(int revision, String instruction, String previous) {}
}
