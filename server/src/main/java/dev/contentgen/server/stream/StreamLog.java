package dev.contentgen.server.stream;

import dev.contentgen.api.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The stream log vocabulary: every line names the job and is one of [STREAM_START], [STREAM_COMPLETE], [STREAM_END], [STREAM_ERROR]. */
final class StreamLog {
    private static final Logger log = LoggerFactory.getLogger("dev.contentgen.server.stream");

    private StreamLog() {}

    static void start(String jobId, long after) {
        log.info("[STREAM_START] job={} after={}", jobId, after);
    }

    static void complete(String jobId, JobStatus status, long seq) {
        log.info("[STREAM_COMPLETE] job={} status={} seq={}", jobId, status.wireName(), seq);
    }

    static void error(String jobId, String what) {
        log.warn("[STREAM_ERROR] job={} {}", jobId, what);
    }

    /** Every end of a stream, and every answer that refused to open one, comes through here with its reason. */
    static void end(String jobId, EndReason reason, long after, long sent, long replayed, long lastSeq, long startedNanos) {
        log.info("[STREAM_END] job={} reason={} after={} sent={} replayed={} lastSeq={} durationMs={}",
                jobId, reason.logName(), after, sent, replayed, lastSeq, (System.nanoTime() - startedNanos) / 1_000_000);
    }
}
