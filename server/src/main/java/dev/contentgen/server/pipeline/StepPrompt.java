package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobRequest;
import dev.contentgen.server.store.ClaimedJob.FinishedArtifact;
import java.util.List;

/**
 * Everything a provider needs for one step: the request, the step, the artifacts before it, and
 * the model to ask (resolved from the job or the server's default).
 */
public record StepPrompt(JobRequest request, Step step, String title, List<FinishedArtifact> earlier, String model) {}
