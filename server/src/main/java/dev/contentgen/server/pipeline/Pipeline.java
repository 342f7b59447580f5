package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobEvent;
import dev.contentgen.server.store.ClaimedJob;
import dev.contentgen.server.store.ClaimedJob.FinishedArtifact;
import dev.contentgen.server.store.Ids;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a job's steps from its first unfinished one: each step streams its text into a new
 * artifact, and a completed artifact is the step's checkpoint.
 */
public final class Pipeline {
    private static final int DELTA_MAX_CHARS = 300;

    private final Provider provider;
    private final Clock clock;
    private final long deltaWindowMillis;

    public Pipeline(Provider provider, Clock clock, Duration deltaWindow) {
        this.provider = provider;
        this.clock = clock;
        this.deltaWindowMillis = deltaWindow.toMillis();
    }

    public Provider provider() {
        return provider;
    }

    /** Runs the remaining steps; returns the final artifact (the article or the thread). */
    public FinishedArtifact run(ClaimedJob job, EventAppender out, RunControl control) throws InterruptedException {
        List<Step> steps = Plan.of(job.request());
        List<FinishedArtifact> finished = new ArrayList<>(job.finished());
        for (Step step : steps.subList(Math.min(job.nextStep(), steps.size()), steps.size())) {
            control.check();
            finished.add(runStep(job, step, steps.size(), finished, out, control));
        }
        return finished.getLast();
    }

    private FinishedArtifact runStep(ClaimedJob job, Step step, int total, List<FinishedArtifact> finished,
                                     EventAppender out, RunControl control) throws InterruptedException {
        String title = Assembly.titleFor(step, job.request(), finished);
        String label = step.kind() == StepKind.SECTION ? step.label() + ": " + title : step.label();
        String artifactId = Ids.newId(clock);
        String kind = step.kind().artifactKind();
        out.append(List.of(
                new JobEvent.Progress(step.key(), step.index() + 1, total, label),
                new JobEvent.ArtifactCreated(artifactId, kind, title, step.index())));
        DeltaCoalescer deltas = new DeltaCoalescer(artifactId, out, DELTA_MAX_CHARS, deltaWindowMillis);
        StringBuilder text = new StringBuilder();
        TokenSink sink = token -> {
            control.check();
            text.append(token);
            deltas.add(token);
        };
        if (step.kind().isAssembly()) {
            Tokens.split(Assembly.assemble(step.kind(), finished)).forEach(sink::accept);
        } else {
            provider.generate(new StepPrompt(job.request(), step, title, List.copyOf(finished)), sink);
        }
        control.check();
        deltas.flush();
        String content = text.toString();
        out.append(new JobEvent.ArtifactCompleted(artifactId, kind, title, content));
        return new FinishedArtifact(step.index(), kind, title, content);
    }
}
