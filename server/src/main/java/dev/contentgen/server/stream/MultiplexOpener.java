package dev.contentgen.server.stream;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.StreamError;
import dev.contentgen.server.store.JobScope;
import dev.contentgen.server.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides how a request for a multiplexed stream is answered (docs/PROTOCOL.md, "Many jobs on one stream"):
 * each job as its per-job stream would be, except that what the per-job stream answers with a status becomes
 * an error event about that job, and the stream as a whole holds one of its owner's stream slots.
 */
public final class MultiplexOpener {
    private final StreamOpener opener;

    public MultiplexOpener(StreamOpener opener) {
        this.opener = opener;
    }

    /** A job the client asks for: its resume point, and whose jobs its reader may see there (null: no credential for it). */
    public record Wanted(String jobId, long after, JobScope scope) {}

    /**
     * {@code listScope}: whose jobs the live job list shows, null for no list; {@code quotaOwner}: whose limit the
     * stream counts against, null for none. Empty when there is nothing to stream: every job already ended at its
     * resume point and no list was asked for (204).
     */
    public Optional<StreamOpening.Streamed> open(List<Wanted> jobs, JobScope listScope, String quotaOwner, boolean takesSnapshots) {
        String label = jobs.isEmpty() ? "none" : String.join(",", jobs.stream().map(Wanted::jobId).toList());
        if (opener.hub().isShuttingDown()) {
            jobs.forEach(w -> opener.tracker().notOpened(w.jobId(), w.after(), EndReason.SERVER_SHUTTING_DOWN));
            return Optional.of(new StreamOpening.TransientError(label, 0, StreamMessages.shuttingDown(), EndReason.SERVER_SHUTTING_DOWN,
                    opener.settings().clientRetry()));
        }
        List<MultiplexStream.Member> members = new ArrayList<>(jobs.size());
        try {
            for (Wanted w : jobs) {
                MultiplexStream.Member member = member(w, takesSnapshots);
                if (member == null) {
                    closeAll(members);
                    return Optional.of(opener.storeUnavailable(label, 0));
                }
                members.add(member);
            }
        } catch (RuntimeException e) {
            closeAll(members);
            throw e;
        }
        boolean nothingToSend = members.stream().allMatch(m -> m.cursor() == null && m.error() == null);
        if (nothingToSend && listScope == null) {
            return Optional.empty();
        }
        Optional<StreamQuota.Slot> slot;
        try {
            slot = quotaOwner == null ? Optional.of(StreamQuota.UNLIMITED) : opener.quota().take(quotaOwner);
        } catch (StoreException e) {
            closeAll(members);
            StreamLog.error(label, "cannot open stream, store unavailable: " + e.getMessage());
            return Optional.of(opener.storeUnavailable(label, 0));
        }
        if (slot.isEmpty()) {
            closeAll(members);
            jobs.forEach(w -> opener.tracker().notOpened(w.jobId(), w.after(), EndReason.TOO_MANY_STREAMS));
            return Optional.of(new StreamOpening.TransientError(label, 0, StreamMessages.tooManyStreams(opener.quota().limit()),
                    EndReason.TOO_MANY_STREAMS, StreamOpener.OVER_LIMIT_RETRY));
        }
        return Optional.of(new MultiplexStream(opener.hub(), opener.settings(), members, slot.get(), listScope));
    }

    /** The job's part of the stream; null when the store could not be read (the whole stream then says so and ends). */
    private MultiplexStream.Member member(Wanted w, boolean takesSnapshots) {
        if (w.scope() == null) {
            // Neither an owner's credential nor this job's stream token: as for a job that does not exist.
            opener.tracker().notOpened(w.jobId(), w.after(), EndReason.JOB_NOT_FOUND);
            StreamLog.endedWithoutStream(w.jobId(), EndReason.JOB_NOT_FOUND.logName(), "(multiplexed; no credential for this job)");
            return new MultiplexStream.Member(w.jobId(), w.after(), null, notFound(w.jobId()));
        }
        return switch (opener.openShared(w.jobId(), w.after(), w.scope(), takesSnapshots)) {
            case StreamOpening.Open open -> new MultiplexStream.Member(w.jobId(), w.after(), open.cursor(), null);
            case StreamOpening.NotFound n -> new MultiplexStream.Member(w.jobId(), w.after(), null, notFound(w.jobId()));
            // The client has all of this job: it contributes nothing.
            case StreamOpening.NoContent n -> new MultiplexStream.Member(w.jobId(), w.after(), null, null);
            case StreamOpening.BeyondEnd b -> new MultiplexStream.Member(w.jobId(), w.after(), null,
                    StreamMessages.beyondEndEvent(w.jobId(), b.lastSeq(), w.after()));
            case StreamOpening.TransientError t -> null;
            case StreamOpening.Streamed other -> throw new IllegalStateException("a job's opening is never " + other);
        };
    }

    /** The answer while the store cannot be read before the stream could open (e.g. checking the caller's key). */
    public StreamOpening.TransientError storeUnavailable(String label) {
        return opener.storeUnavailable(label, 0);
    }

    /** As the per-job stream's 404: an unknown job and another owner's job read the same. */
    static StreamError notFound(String jobId) {
        return new StreamError(ErrorCode.JOB_NOT_FOUND, "No job with id '" + jobId + "'.", false);
    }

    private static void closeAll(List<MultiplexStream.Member> members) {
        members.stream().filter(m -> m.cursor() != null).forEach(m -> m.cursor().close());
    }
}
