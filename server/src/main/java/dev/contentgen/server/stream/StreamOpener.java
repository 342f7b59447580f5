package dev.contentgen.server.stream;

import dev.contentgen.server.store.JobScope;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.store.StoredEvent;
import java.time.Duration;
import java.util.Optional;

/** Decides how a request for a job's stream from a resume point is answered: the rules of docs/PROTOCOL.md, "Opening a stream". */
public final class StreamOpener {
    private final Store store;
    private final StreamHub hub;
    private final StreamSettings settings;
    private final StreamQuota quota;
    private final StreamTracker tracker;
    private final Snapshots snapshots;

    /** An over-limit stream retries this slowly: the owner must close one first, so a quick retry would only loop. */
    static final Duration OVER_LIMIT_RETRY = Duration.ofSeconds(15);

    public StreamOpener(Store store, StreamHub hub, StreamSettings settings, StreamQuota quota, StreamTracker tracker) {
        this.store = store;
        this.hub = hub;
        this.settings = settings;
        this.quota = quota;
        this.tracker = tracker;
        this.snapshots = new Snapshots(store);
    }

    /**
     * {@code after}: the client's resume point, already checked to be a non-negative integer;
     * {@code scope}: whose jobs the reader may see (another owner's job is not found); {@code quotaOwner}:
     * the owner whose open-streams limit this stream counts against, or null for none (local mode);
     * {@code takesSnapshots}: the client asked for snapshots ({@code snapshots=1}), others get the rebuilt deltas.
     */
    public StreamOpening open(String jobId, long after, JobScope scope, String quotaOwner, boolean takesSnapshots) {
        return open(jobId, after, scope, quotaOwner, takesSnapshots, true);
    }

    /**
     * One job of a multiplexed stream: decided as a per-job stream is, on the job's shared feed, without a slot of
     * its own (the multiplexed stream holds one for all its jobs) and not counted as an open stream by itself.
     */
    StreamOpening openShared(String jobId, long after, JobScope scope, boolean takesSnapshots) {
        return open(jobId, after, scope, null, takesSnapshots, false);
    }

    StreamHub hub() {
        return hub;
    }

    StreamSettings settings() {
        return settings;
    }

    StreamQuota quota() {
        return quota;
    }

    StreamTracker tracker() {
        return tracker;
    }

    private StreamOpening open(String jobId, long after, JobScope scope, String quotaOwner, boolean takesSnapshots, boolean counted) {
        long started = System.nanoTime();
        if (hub.isShuttingDown()) {
            tracker.notOpened(jobId, after, EndReason.SERVER_SHUTTING_DOWN);
            return new StreamOpening.TransientError(jobId, after, StreamMessages.shuttingDown(), EndReason.SERVER_SHUTTING_DOWN,
                    settings.clientRetry());
        }
        // Subscribed before reading the head, so an append committed in between is not missed.
        StreamHub.Subscription subscription = hub.subscribe(jobId, counted);
        StreamOpening opening;
        try {
            opening = decide(jobId, after, scope, quotaOwner, subscription, takesSnapshots);
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
        switch (opening) {
            case StreamOpening.Open open -> { }
            case StreamOpening.TransientError error -> {
                subscription.close();
                tracker.notOpened(jobId, after, error.reason());
            }
            case StreamOpening.NotFound n -> end(subscription, jobId, EndReason.JOB_NOT_FOUND, after, started);
            case StreamOpening.NoContent n -> end(subscription, jobId, EndReason.ALREADY_COMPLETE, after, started);
            case StreamOpening.BeyondEnd b -> end(subscription, jobId, EndReason.BEYOND_END, after, started);
            case MultiplexStream m -> throw new IllegalStateException("a job's opening is never a multiplexed stream");
        }
        return opening;
    }

    private StreamOpening decide(String jobId, long after, JobScope scope, String quotaOwner, StreamHub.Subscription subscription,
                                 boolean takesSnapshots) {
        Optional<Store.JobHead> head;
        try {
            // Read without the caller's scope, so that the head may serve other callers' openings; the scope applies next.
            head = subscription.head(after, () -> store.findHead(jobId)).filter(h -> scope.includes(h.owner()));
        } catch (StoreException e) {
            StreamLog.error(jobId, "cannot open stream, store unavailable: " + e.getMessage());
            return storeUnavailableAtOpen(jobId, after);
        }
        if (head.isEmpty()) {
            return new StreamOpening.NotFound(jobId);
        }
        long lastSeq = head.get().lastSeq();
        if (head.get().status().isTerminal() && after == lastSeq) {
            return new StreamOpening.NoContent(jobId, lastSeq);
        }
        if (head.get().status().isTerminal() && after > lastSeq) {
            return new StreamOpening.BeyondEnd(jobId, lastSeq, after);
        }
        // A resume point inside a range retention compacted away: a snapshot stands for it (docs/PROTOCOL.md, "Snapshots").
        Optional<StoredEvent> snapshot;
        try {
            snapshot = takesSnapshots ? snapshots.covering(jobId, after, head.get().compactedSeq()) : Optional.empty();
        } catch (StoreException e) {
            StreamLog.error(jobId, "cannot open stream, store unavailable: " + e.getMessage());
            return storeUnavailable(jobId, after);
        }
        Optional<StreamQuota.Slot> slot;
        try {
            slot = quotaOwner == null ? Optional.of(StreamQuota.UNLIMITED) : quota.take(quotaOwner);
        } catch (StoreException e) {
            StreamLog.error(jobId, "cannot open stream, store unavailable: " + e.getMessage());
            return storeUnavailableAtOpen(jobId, after);
        }
        if (slot.isEmpty()) {
            return new StreamOpening.TransientError(jobId, after, StreamMessages.tooManyStreams(quota.limit()), EndReason.TOO_MANY_STREAMS,
                    OVER_LIMIT_RETRY);
        }
        subscription.hold(slot.get());
        subscription.announce(lastSeq);
        return new StreamOpening.Open(new Cursor(jobId, after, lastSeq, hub, subscription, settings, tracker, snapshot.orElse(null),
                takesSnapshots ? new SnapshotFill(jobId, snapshots) : new RebuiltDeltas(store, jobId)), slot.get());
    }

    /** The answer while the store cannot be read (also when it fails before the opener is asked, e.g. checking a key). */
    public StreamOpening.TransientError storeUnavailable(String jobId, long after) {
        tracker.notOpened(jobId, after, EndReason.STORE_UNAVAILABLE);
        return storeUnavailableAtOpen(jobId, after);
    }

    private StreamOpening.TransientError storeUnavailableAtOpen(String jobId, long after) {
        tracker.storeErrorWhileOpening();
        return new StreamOpening.TransientError(jobId, after, StreamMessages.storeUnavailableAtOpen(), EndReason.STORE_UNAVAILABLE,
                settings.clientRetry());
    }

    private void end(StreamHub.Subscription subscription, String jobId, EndReason reason, long after, long started) {
        subscription.close();
        tracker.notOpened(jobId, after, reason);
        StreamLog.end(jobId, reason, after, 0, 0, after, started);
    }
}
