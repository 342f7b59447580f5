package dev.contentgen.server.job;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobRequest;
import dev.contentgen.server.pipeline.StepInterrupted;
import dev.contentgen.server.store.CancelOutcome;
import dev.contentgen.server.store.CreationLimits;
import dev.contentgen.server.store.JobFilter;
import dev.contentgen.server.store.JobScope;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.WebhookEndpoint;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the API does with an owner's jobs: create (idempotently, within limits), read, list, cancel and delete. */
public final class JobService {
    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final Store store;
    private final RunningJobs running;

    public JobService(Store store, RunningJobs running) {
        this.store = store;
        this.running = running;
    }

    public Store.Created create(JobRequest request, WebhookEndpoint webhook, String idempotencyKey, String owner, CreationLimits limits) {
        Store.Created created = store.createJob(request, webhook, idempotencyKey, owner, limits);
        if (created.created()) {
            log.info("job={} created format={} length={}", created.job().id(), request.format().wireName(), request.length().wireName());
        }
        return created;
    }

    public Optional<Job> find(String id, JobScope scope) {
        return store.findJob(id, scope);
    }

    public JobPage list(JobScope scope, JobFilter filter, String cursor, int limit) {
        return store.listJobs(scope, filter, cursor, limit);
    }

    public CancelOutcome cancel(String id, JobScope scope) {
        Store.CancelResult result = store.requestCancel(id, scope);
        if (result.outcome() == CancelOutcome.REQUESTED || result.outcome() == CancelOutcome.CANCELLED) {
            // Fast path on this node (also for a run here that stalled past its lease and lost the job to the
            // cancel); the lease keeper carries the flag to a job running elsewhere.
            running.stop(id, StepInterrupted.Reason.CANCELLED);
        }
        log.info("job={} cancel: {}", id, result.outcome());
        return result.outcome();
    }

    /**
     * Deletes the job with its log and artifacts; false when {@code scope} sees no such job. A job
     * still running here is stopped, so its worker stops calling the provider; a worker on another
     * node finds the job gone at its next write and stops too (its appends are fenced on the job's row).
     */
    public boolean delete(String id, JobScope scope) {
        // Rows first: a run still going (here or on another node) finds its job gone at its next
        // write and stops without logging anything, so the job's last word is the deletion, not a cancel.
        boolean deleted = store.deleteJob(id, scope);
        if (deleted) {
            running.stop(id, StepInterrupted.Reason.CANCELLED);
        }
        log.info("job={} deleted: {}", id, deleted);
        return deleted;
    }
}
