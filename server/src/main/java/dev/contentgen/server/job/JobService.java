package dev.contentgen.server.job;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.QueuePosition;
import dev.contentgen.api.UsageReport;
import dev.contentgen.server.pipeline.StepInterrupted;
import dev.contentgen.server.store.CancelOutcome;
import dev.contentgen.server.store.CreationLimits;
import dev.contentgen.server.store.JobQueue;
import dev.contentgen.server.store.JobFilter;
import dev.contentgen.server.store.JobScope;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.UsageLedger;
import dev.contentgen.server.store.WebhookEndpoint;
import dev.contentgen.server.store.WorkerCensus;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the API does with an owner's jobs: create (idempotently, within limits), read, list, cancel and delete. */
public final class JobService {
    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final Store store;
    private final RunningJobs running;
    private final JobQueue queue;
    private final WorkerCensus census;
    private final UsageLedger usage;

    /** {@code census}: how many jobs the cluster runs at once, told to a waiting job's owner. */
    public JobService(Store store, RunningJobs running, JobQueue queue, WorkerCensus census, UsageLedger usage) {
        this.store = store;
        this.running = running;
        this.queue = queue;
        this.census = census;
        this.usage = usage;
    }

    /** {@code webhookOfKey}: the key whose default {@code webhook} is, or null when the request named it (or none). */
    public Store.Created create(JobRequest request, WebhookEndpoint webhook, String webhookOfKey, String idempotencyKey, String owner,
                                CreationLimits limits) {
        Store.Created created = store.createJob(request, webhook, webhookOfKey, idempotencyKey, owner, limits);
        if (created.created()) {
            log.info("job={} created format={} length={}", created.job().id(), request.format().wireName(), request.length().wireName());
        }
        return created;
    }

    /** The job as its owner sees it; a waiting one with its place in the queue. */
    public Optional<Job> find(String id, JobScope scope) {
        return store.findJob(id, scope).map(job -> job.status().isTerminal() || job.status() == JobStatus.RUNNING ? job
                : queue.standing(id).map(s -> job.withQueue(new QueuePosition(s.ahead() + 1, s.ahead(), census.workers(), s.running())))
                        .orElse(job));
    }

    /** What {@code owner}'s jobs used since {@code since} (null: ever). */
    public UsageReport usage(String owner, Instant since) {
        return usage.owner(owner, since);
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
