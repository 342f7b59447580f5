package dev.contentgen.server.stream;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.StreamError;

/** The stream-level {@code error} events and refusals a client can receive, each worded once. */
public final class StreamMessages {
    private StreamMessages() {}

    static StreamError shuttingDown() {
        return new StreamError(ErrorCode.SERVER_SHUTTING_DOWN,
                "This server is restarting. Reconnect to continue; nothing is lost.", true);
    }

    /** On an open stream: it stays open and goes on once the store answers again. */
    static StreamError storeUnavailable() {
        return new StreamError(ErrorCode.STORE_UNAVAILABLE,
                "The database is unavailable; the stream keeps trying and will resume where it was.", true);
    }

    /** While opening: the stream ends, and reconnecting resumes it. */
    static StreamError storeUnavailableAtOpen() {
        return new StreamError(ErrorCode.STORE_UNAVAILABLE,
                "The database is unavailable; reconnecting will resume the stream.", true);
    }

    /** Over the owner's open-streams limit: it may pass (another tab closes), so retryable. */
    static StreamError tooManyStreams(int limit) {
        return new StreamError(ErrorCode.TOO_MANY_STREAMS, "This key already holds " + limit
                + " open streams (every node counts). Close a tab or stream; this one retries by itself.", true);
    }

    /** The job was deleted while the stream was open: permanent, a reconnect gets 404. */
    static StreamError jobDeleted(String jobId) {
        return new StreamError(ErrorCode.JOB_DELETED, "Job " + jobId + " was deleted; its events and artifacts are gone.", false);
    }

    /** The resume point lies beyond the last event of a finished job: there is nothing to wait for. */
    public static String beyondEnd(String jobId, long lastSeq, long after) {
        return "Job " + jobId + " has finished and its log ends at " + lastSeq + "; there is no event " + after
                + ". Reconnect without Last-Event-ID (or with ?after=0) to read the job's log.";
    }

    static StreamError beyondEndEvent(String jobId, long lastSeq, long after) {
        return new StreamError(ErrorCode.INVALID_LAST_EVENT_ID, beyondEnd(jobId, lastSeq, after), false);
    }
}
