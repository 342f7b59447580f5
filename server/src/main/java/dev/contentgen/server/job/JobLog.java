package dev.contentgen.server.job;

import dev.contentgen.api.JobEvent;
import dev.contentgen.server.pipeline.EventAppender;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoredEvent;
import dev.contentgen.server.stream.Notifier;
import java.util.List;

/** Appends a running job's events under its lease, then tells the notifier after the commit. */
final class JobLog implements EventAppender {
    private final String jobId;
    private final String owner;
    private final Store store;
    private final Notifier notifier;
    private final StoreRetry retry;

    JobLog(String jobId, String owner, Store store, Notifier notifier, StoreRetry retry) {
        this.jobId = jobId;
        this.owner = owner;
        this.store = store;
        this.notifier = notifier;
        this.retry = retry;
    }

    @Override
    public void append(List<JobEvent> events) {
        try {
            published(retry.call("appending to job " + jobId, () -> store.append(jobId, owner, events)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending to job " + jobId, e);
        }
    }

    List<StoredEvent> published(List<StoredEvent> stored) {
        if (!stored.isEmpty()) {
            notifier.publishAppended(jobId, stored.getLast().seq());
        }
        return stored;
    }
}
