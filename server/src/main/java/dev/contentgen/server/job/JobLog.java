package dev.contentgen.server.job;

import dev.contentgen.api.JobEvent;
import dev.contentgen.server.pipeline.EventAppender;
import dev.contentgen.server.store.JobRun;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoredEvent;
import java.util.List;

/**
 * Appends one run's events under its lease (the store announces them after the commit). It knows
 * the seq its log ends at, so a retry after a lost commit answer finds its batch instead of
 * writing it again.
 */
final class JobLog implements EventAppender {
    private final JobRun run;
    private final Store store;
    private final StoreRetry retry;
    private long lastSeq;

    JobLog(JobRun run, long lastSeq, Store store, StoreRetry retry) {
        this.run = run;
        this.lastSeq = lastSeq;
        this.store = store;
        this.retry = retry;
    }

    @Override
    public synchronized void append(List<JobEvent> events) {
        try {
            written(retry.call("appending to job " + run.jobId(), () -> store.append(run, lastSeq, events)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending to job " + run.jobId(), e);
        }
    }

    /** Ends the run with {@code status}, retracting a partial artifact (see {@link Store#endRun}). */
    synchronized List<StoredEvent> end(JobEvent.Status status, String discardReason) throws InterruptedException {
        return written(retry.call("ending job " + run.jobId(), () -> store.endRun(run, lastSeq, status, discardReason)));
    }

    private List<StoredEvent> written(List<StoredEvent> stored) {
        if (!stored.isEmpty()) {
            lastSeq = stored.getLast().seq();
        }
        return stored;
    }
}
