package dev.contentgen.server.job;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobRequest;
import dev.contentgen.server.pipeline.StepInterrupted;
import dev.contentgen.server.store.CancelOutcome;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.stream.Notifier;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the API does with jobs: create (idempotently), read, list and cancel. */
public final class JobService {
    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final Store store;
    private final Notifier notifier;
    private final RunningJobs running;

    public JobService(Store store, Notifier notifier, RunningJobs running) {
        this.store = store;
        this.notifier = notifier;
        this.running = running;
    }

    public Store.Created create(JobRequest request, String idempotencyKey) {
        Store.Created created = store.createJob(request, idempotencyKey);
        if (created.created()) {
            notifier.publishAppended(created.job().id(), created.event().seq());
            notifier.publishQueued(created.job().id());
            log.info("job={} created format={} length={}", created.job().id(), request.format().wireName(), request.length().wireName());
        }
        return created;
    }

    public Optional<Job> find(String id) {
        return store.findJob(id);
    }

    public JobPage list(String cursor, int limit) {
        return store.listJobs(cursor, limit);
    }

    public CancelOutcome cancel(String id) {
        Store.CancelResult result = store.requestCancel(id);
        if (!result.appended().isEmpty()) {
            notifier.publishAppended(id, result.appended().getLast().seq());
        }
        if (result.outcome() == CancelOutcome.REQUESTED || result.outcome() == CancelOutcome.CANCELLED) {
            // Fast path on this node (also for a run here that stalled past its lease and lost the job to the
            // cancel); the lease keeper carries the flag to a job running elsewhere.
            running.stop(id, StepInterrupted.Reason.CANCELLED);
        }
        log.info("job={} cancel: {}", id, result.outcome());
        return result.outcome();
    }
}
