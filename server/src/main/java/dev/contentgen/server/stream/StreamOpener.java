package dev.contentgen.server.stream;

import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoreException;
import java.util.Optional;

/** Decides how a request for a job's stream from a resume point is answered: the rules of docs/PROTOCOL.md, "Opening a stream". */
public final class StreamOpener {
    private final Store store;
    private final StreamHub hub;
    private final StreamSettings settings;

    public StreamOpener(Store store, StreamHub hub, StreamSettings settings) {
        this.store = store;
        this.hub = hub;
        this.settings = settings;
    }

    /** {@code after}: the client's resume point, already checked to be a non-negative integer. */
    public StreamOpening open(String jobId, long after) {
        long started = System.nanoTime();
        if (hub.isShuttingDown()) {
            return new StreamOpening.TransientError(jobId, after, StreamMessages.shuttingDown(), EndReason.SERVER_SHUTTING_DOWN, settings);
        }
        // Subscribed before reading the head, so an append committed in between is not missed.
        StreamHub.Subscription subscription = hub.subscribe(jobId);
        StreamOpening opening;
        try {
            opening = decide(jobId, after, subscription);
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
        switch (opening) {
            case StreamOpening.Open open -> { }
            case StreamOpening.TransientError error -> subscription.close();
            case StreamOpening.NotFound n -> end(subscription, jobId, EndReason.JOB_NOT_FOUND, after, started);
            case StreamOpening.NoContent n -> end(subscription, jobId, EndReason.ALREADY_COMPLETE, after, started);
            case StreamOpening.BeyondEnd b -> end(subscription, jobId, EndReason.BEYOND_END, after, started);
        }
        return opening;
    }

    private StreamOpening decide(String jobId, long after, StreamHub.Subscription subscription) {
        Optional<Store.JobHead> head;
        try {
            head = store.findHead(jobId);
        } catch (StoreException e) {
            StreamLog.error(jobId, "cannot open stream, store unavailable: " + e.getMessage());
            return new StreamOpening.TransientError(jobId, after, StreamMessages.storeUnavailableAtOpen(), EndReason.STORE_UNAVAILABLE, settings);
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
        subscription.announce(lastSeq);
        return new StreamOpening.Open(new Cursor(jobId, after, lastSeq, hub, subscription, settings));
    }

    private static void end(StreamHub.Subscription subscription, String jobId, EndReason reason, long after, long started) {
        subscription.close();
        StreamLog.end(jobId, reason, after, 0, 0, after, started);
    }
}
