package dev.contentgen.server.stream;

import java.util.Locale;

/** Why a stream ended (or was answered without one); logged with every [STREAM_END]. */
public enum EndReason {
    JOB_COMPLETED, JOB_FAILED, JOB_CANCELLED,
    /** The client already has the terminal event: 204, or the end of a stream that waited beyond it. */
    ALREADY_COMPLETE,
    /** The resume point lies beyond the end of a finished job: 400, or an error event on a stream that waited. */
    BEYOND_END,
    JOB_NOT_FOUND,
    /** The job was deleted while the stream was open: a final JOB_DELETED error event. */
    JOB_DELETED,
    CLIENT_CLOSED, WRITE_TIMEOUT,
    /** The node stopped the stream after telling it SERVER_SHUTTING_DOWN. */
    SHUTDOWN,
    /** Refused while opening: the node is shutting down. */
    SERVER_SHUTTING_DOWN,
    /** Refused while opening: the store could not be read. */
    STORE_UNAVAILABLE,
    /** Refused while opening: the owner holds its limit of open streams. */
    TOO_MANY_STREAMS,
    /** A multiplexed stream (without the live job list) ended because every one of its jobs did. */
    JOBS_ENDED,
    /** A defect on our side ended the stream (logged with [STREAM_ERROR]). */
    INTERNAL_ERROR;

    /** As it appears in the log: {@code reason=job_completed}. */
    public String logName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
