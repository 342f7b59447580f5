package dev.contentgen.server.job;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.RegenerateRequest;
import dev.contentgen.server.pipeline.Plan;
import dev.contentgen.server.pipeline.Rerun;
import dev.contentgen.server.pipeline.Step;
import dev.contentgen.server.pipeline.format.FormatSpec;
import dev.contentgen.server.pipeline.format.Formats;
import dev.contentgen.server.store.CreationLimits;
import dev.contentgen.server.store.JobScope;
import dev.contentgen.server.store.Store;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Regenerating one step of a completed job: a new job, a revision linked to its parent, that
 * copies the parent's artifacts and runs again only the chosen step and what depends on it
 * (docs/REVISIONS.md says why a new job rather than a change to the parent's log).
 */
public final class Regenerations {
    private static final Logger log = LoggerFactory.getLogger(Regenerations.class);

    /** What became of a request to regenerate a step. */
    public sealed interface Outcome {
        /** A revision was made ({@code created}) or an idempotent retry found it. */
        record Made(Store.Created revision) implements Outcome {}

        record NotFound() implements Outcome {}

        /** The parent has not completed: only a completed job has every step to keep. */
        record NotCompleted(JobStatus status) implements Outcome {}

        /** The job has no such step; {@code steps} are the ones it has. */
        record UnknownStep(List<String> steps) implements Outcome {}

        /** The job's format is no longer loaded on this node. */
        record FormatGone(String format) implements Outcome {}
    }

    private final Store store;
    private final Formats formats;

    public Regenerations(Store store, Formats formats) {
        this.store = store;
        this.formats = formats;
    }

    public Outcome regenerate(String parentId, RegenerateRequest request, JobScope scope, String idempotencyKey,
                              String owner, CreationLimits limits) {
        Optional<Job> found = store.findJob(parentId, scope);
        if (found.isEmpty()) {
            return new Outcome.NotFound();
        }
        Job parent = found.get();
        if (parent.status() != JobStatus.COMPLETED) {
            return new Outcome.NotCompleted(parent.status());
        }
        Optional<FormatSpec> format = formats.find(parent.format());
        if (format.isEmpty()) {
            return new Outcome.FormatGone(parent.format().wireName());
        }
        List<String> steps = Rerun.choices(steps(parent, format.get()));
        if (!steps.contains(request.step())) {
            return new Outcome.UnknownStep(steps);
        }
        Optional<Store.Created> made = store.createRevision(parentId, scope, request.step(), request.instruction(),
                idempotencyKey, owner, limits);
        if (made.isEmpty()) {
            return new Outcome.NotFound();
        }
        if (made.get().created()) {
            log.info("job={} created: revision {} of {} regenerating step={}{}", made.get().job().id(),
                    made.get().job().revision().number(), made.get().job().revision().revisionOf(), request.step(),
                    request.instruction() == null ? "" : " with an instruction");
        }
        return new Outcome.Made(made.get());
    }

    /** The piece {@code id} belongs to: its first job and its revisions, in order. */
    public Optional<Store.RevisionHistory> history(String id, JobScope scope) {
        return store.revisions(id, scope);
    }

    private static List<Step> steps(Job job, FormatSpec format) {
        return Plan.of(new JobRequest(job.topic(), job.format(), job.tone(), job.length(), job.audience(), job.provider(), job.model()), format);
    }
}
