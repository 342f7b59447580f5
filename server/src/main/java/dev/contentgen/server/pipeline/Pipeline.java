package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.StepUsage;
import dev.contentgen.server.pipeline.format.FormatSpec;
import dev.contentgen.server.pipeline.format.Formats;
import dev.contentgen.server.pipeline.providers.ProviderException;
import dev.contentgen.server.pipeline.providers.ProviderFailure;
import dev.contentgen.server.pipeline.providers.RetryPolicy;
import dev.contentgen.server.store.ClaimedJob;
import dev.contentgen.server.store.ClaimedJob.FinishedArtifact;
import dev.contentgen.server.store.Ids;
import dev.contentgen.server.usage.PriceTable;
import dev.contentgen.server.usage.UsageMeters;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job's steps from its first unfinished one: each step streams its text into a new
 * artifact, and a completed artifact is the step's checkpoint. A provider failure that may pass
 * (rate limit, outage, a stream that broke off) retracts the step's partial artifact and runs
 * the step again after a wait the stream shows; the others fail the job.
 */
public final class Pipeline {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    private static final int DELTA_MAX_CHARS = 300;

    private final Providers providers;
    private final Formats formats;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Clock clock;
    private final long deltaWindowMillis;
    private final PriceTable prices;
    private final UsageMeters usageMeters;

    public Pipeline(Providers providers, Formats formats, RetryPolicy retry, Sleeper sleeper, Clock clock, Duration deltaWindow,
                    PriceTable prices, UsageMeters usageMeters) {
        this.deltaWindowMillis = deltaWindow.toMillis();
        this.prices = prices;
        this.usageMeters = usageMeters;
        this.providers = providers;
        this.formats = formats;
        this.retry = retry;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    public Providers providers() {
        return providers;
    }

    /** Calls of one step before a failure that may pass fails the job. */
    public int maxAttempts() {
        return retry.maxAttempts();
    }

    /** Runs the remaining steps; returns the final artifact (the article or the thread). */
    public FinishedArtifact run(ClaimedJob job, EventAppender log, RunControl control) throws InterruptedException {
        FormatSpec format = formats.require(job.request().format());
        List<Step> steps = Plan.of(job.request(), format);
        Providers.Choice choice = providers.resolve(job.request());
        List<FinishedArtifact> finished = new ArrayList<>(job.finished());
        // A revision copies what does not depend on the step it regenerates (a resumed one goes on doing so).
        Set<Integer> again = job.revision() == null ? null : Rerun.of(steps, job.revision().step());
        StepBoundary out = new StepBoundary(log);
        try {
            for (Step step : steps.subList(Math.min(job.nextStep(), steps.size()), steps.size())) {
                control.check();
                finished.add(again == null || again.contains(step.index())
                        ? runStep(job, choice, step, steps.size(), finished, out, control)
                        : reuse(job.revision(), step, steps.size(), out, control));
            }
        } catch (RuntimeException | InterruptedException | Error e) {
            // A step that completed before a cancel or a shutdown is still its checkpoint.
            try {
                out.flush();
            } catch (RuntimeException flushFailed) {
                e.addSuppressed(flushFailed);
            }
            throw e;
        }
        out.flush();
        return finished.getLast();
    }

    /** Copies the parent's artifact of {@code step} into this job's log as it was, without asking the provider. */
    private FinishedArtifact reuse(ClaimedJob.Revision revision, Step step, int total, StepBoundary out, RunControl control) {
        FinishedArtifact kept = parentArtifact(revision, step);
        out.append(new JobEvent.Progress(step.key(), step.index() + 1, total,
                (step.repeated() ? step.label() + ": " + kept.title() : step.label()) + " (kept from the previous version)"));
        // Copied from the parent without a call: the tokens were the parent's, and are counted there.
        return streamWhole(step, kept.title(), kept.content(), out, control, true);
    }

    /**
     * A step whose whole text is there at once (an assembly, a step kept from the parent): its
     * artifact's events, the same as token by token, go out in one append with the next step's first
     * event, instead of one append per delta. Under 2,000 concurrent jobs each of those appends waited
     * its turn for a commit: an assembly took 680 ms where alone it took 10.
     */
    private FinishedArtifact streamWhole(Step step, String title, String text, StepBoundary out, RunControl control, boolean reused) {
        List<JobEvent> events = new ArrayList<>();
        StepBoundary gathered = new StepBoundary(events::addAll);
        StepOutput output = new StepOutput(step, title, gathered, control, reused);
        Tokens.split(text).forEach(output::accept);
        FinishedArtifact artifact = output.complete(null);
        gathered.flush();
        out.holdForNext(events);
        return artifact;
    }

    private static FinishedArtifact parentArtifact(ClaimedJob.Revision revision, Step step) {
        return revision.parentArtifacts().stream()
                .filter(a -> a.step() == step.index() && a.kind().equals(step.kind())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the job this revises (" + revision.parentId()
                        + ") no longer has its " + step.key() + " (was it deleted?)"));
    }

    private FinishedArtifact runStep(ClaimedJob job, Providers.Choice choice, Step step, int total,
                                     List<FinishedArtifact> finished, StepBoundary out, RunControl control)
            throws InterruptedException {
        String title = Assembly.titleFor(step, job.request(), finished);
        String label = step.repeated() ? step.label() + ": " + title : step.label();
        out.append(new JobEvent.Progress(step.key(), step.index() + 1, total, label));
        if (step.isAssembly()) {
            return streamWhole(step, title, Assembly.assemble(step.format(), finished), out, control, false);
        }
        StepPrompt.Redo redo = job.revision() != null && job.revision().step().equals(step.key())
                ? new StepPrompt.Redo(job.revision().number(), job.revision().instruction(), parentArtifact(job.revision(), step).content())
                : null;
        StepPrompt prompt = new StepPrompt(job.request(), step, title, List.copyOf(finished), choice.model(), redo);
        for (int attempt = 1; ; attempt++) {
            StepOutput output = new StepOutput(step, title, out, control, false);
            try {
                choice.provider().generate(prompt, output, control);
                control.check();
                return output.complete(choice);
            } catch (ProviderException e) {
                ProviderFailure failure = e.failure();
                output.discard(failure.describe());
                Duration wait = retry.nextWait(failure, attempt);
                if (wait == null) {
                    throw e;
                }
                log.warn("job={} step={} attempt {} of {} failed: {}; retrying in {} ms", job.id(), step.key(),
                        attempt, retry.maxAttempts(), e.getMessage(), wait.toMillis());
                out.append(new JobEvent.Progress(step.key(), step.index() + 1, total,
                        RetryLabel.of(label, failure, wait, attempt + 1, retry.maxAttempts())));
                sleeper.sleep(wait, control);
            }
        }
    }

    /**
     * One attempt's artifact: created at the first token (so a refused call leaves none behind),
     * grown by coalesced deltas, then completed or discarded.
     */
    private final class StepOutput implements TokenSink {
        private final Step step;
        private final String title;
        private final StepBoundary out;
        private final RunControl control;
        /** A revision's copy of its parent's artifact: marked so, on its created and completed events. */
        private final Boolean reused;
        private final StringBuilder text = new StringBuilder();
        private String artifactId;
        private DeltaCoalescer deltas;
        private long inputTokens = -1;
        private long outputTokens;

        StepOutput(Step step, String title, StepBoundary out, RunControl control, boolean reused) {
            this.reused = reused ? Boolean.TRUE : null;
            this.step = step;
            this.title = title;
            this.out = out;
            this.control = control;
        }

        @Override
        public void accept(String token) {
            control.check();
            text.append(token);
            if (artifactId == null) {
                // The artifact and its first words go out together: one transaction, one wake-up for streams.
                artifactId = Ids.newId(clock);
                deltas = new DeltaCoalescer(artifactId, out, DELTA_MAX_CHARS, deltaWindowMillis);
                deltas.hold(token);
                List<JobEvent> events = new ArrayList<>(2);
                events.add(new JobEvent.ArtifactCreated(artifactId, step.kind(), title, step.index(), reused));
                deltas.takeHeld().ifPresent(events::add);
                out.append(events);
                return;
            }
            deltas.add(token);
        }

        @Override
        public long heldTextDueInNanos() {
            return deltas == null ? -1 : deltas.heldDueInNanos();
        }

        @Override
        public void flushHeld() {
            if (deltas != null) {
                deltas.flush();
            }
        }

        @Override
        public void usage(long input, long output) {
            inputTokens = input;
            outputTokens = output;
        }

        /** Completes the artifact, with what {@code choice}'s call used if its provider said (null: no call). */
        FinishedArtifact complete(Providers.Choice choice) {
            if (artifactId == null) {
                accept("");
            }
            String content = text.toString();
            StepUsage usage = choice == null || inputTokens < 0 ? null : new StepUsage(choice.provider().name(), choice.model(),
                    inputTokens, outputTokens, prices.cost(choice.provider().name(), choice.model(), inputTokens, outputTokens));
            out.holdForNext(heldThen(new JobEvent.ArtifactCompleted(artifactId, step.kind(), title, content, reused, usage)));
            if (usage != null) {
                usageMeters.record(usage);
            }
            return new FinishedArtifact(step.index(), step.kind(), title, content);
        }

        void discard(String reason) {
            if (artifactId != null) {
                out.append(heldThen(new JobEvent.ArtifactDiscarded(artifactId, reason)));
            }
        }

        /** The held text, then {@code last}, in one append. */
        private List<JobEvent> heldThen(JobEvent last) {
            List<JobEvent> events = new ArrayList<>(2);
            deltas.takeHeld().ifPresent(events::add);
            events.add(last);
            return events;
        }
    }
}
