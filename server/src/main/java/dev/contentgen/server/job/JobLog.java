package dev.contentgen.server.job;

import dev.contentgen.api.JobEvent;
import dev.contentgen.server.pipeline.EventAppender;
import dev.contentgen.server.store.Store;
import java.util.List;

/** Appends a running job's events under its lease (the store announces them after the commit). */
final class JobLog implements EventAppender {
    private final String jobId;
    private final String owner;
    private final Store store;
    private final StoreRetry retry;

    JobLog(String jobId, String owner, Store store, StoreRetry retry) {
        this.jobId = jobId;
        this.owner = owner;
        this.store = store;
        this.retry = retry;
    }

    @Override
    public void append(List<JobEvent> events) {
        try {
            retry.call("appending to job " + jobId, () -> store.append(jobId, owner, events));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending to job " + jobId, e);
        }
    }
}
