package dev.contentgen.server.stream;

import dev.contentgen.api.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The stream log vocabulary: every line names the job and is one of [STREAM_START], [STREAM_COMPLETE], [STREAM_END],
 * [STREAM_ERROR]. The tag and each {@code name=value} of a line are also its key-value pairs, which the JSON log
 * format ({@code --log-format json}) writes as fields of their own; the plain format shows only the message.
 */
public final class StreamLog {
    private static final Logger log = LoggerFactory.getLogger("dev.contentgen.server.stream");

    private StreamLog() {}

    static void start(String jobId, long after) {
        line(log.atInfo(), "STREAM_START", jobId, null, "after", after);
    }

    /** A multiplexed stream opened ({@code jobs}: its job ids, comma-separated); each job's cursor logs its own start too. */
    static void multiplexStart(String jobs, int count, boolean list) {
        line(log.atInfo(), "STREAM_START", jobs, null, "multiplexed", true, "jobs", count, "list", list);
    }

    static void multiplexEnd(String jobs, EndReason reason, long startedNanos) {
        line(log.atInfo(), "STREAM_END", jobs, null, "multiplexed", true, "reason", reason.logName(),
                "durationMs", (System.nanoTime() - startedNanos) / 1_000_000);
    }

    static void complete(String jobId, JobStatus status, long seq) {
        line(log.atInfo(), "STREAM_COMPLETE", jobId, null, "status", status.wireName(), "seq", seq);
    }

    public static void error(String jobId, String what) {
        line(log.atWarn(), "STREAM_ERROR", jobId, what);
    }

    /** Every end of a stream, and every answer that refused to open one, comes through here with its reason. */
    static void end(String jobId, EndReason reason, long after, long sent, long replayed, long lastSeq, long startedNanos) {
        line(log.atInfo(), "STREAM_END", jobId, null, "reason", reason.logName(), "after", after, "sent", sent,
                "replayed", replayed, "lastSeq", lastSeq, "durationMs", (System.nanoTime() - startedNanos) / 1_000_000);
    }

    /** A request that ended before any stream could be written (a refused token, a client gone before the answer). */
    public static void endedWithoutStream(String jobId, String reason, String note) {
        line(log.atInfo(), "STREAM_END", jobId, note, "reason", reason, "sent", 0);
    }

    /** {@code [TAG] job=J name=value … text}, with the tag, the job and each pair as key-value pairs too. */
    private static void line(LoggingEventBuilder event, String tag, String jobId, String text, Object... pairs) {
        StringBuilder message = new StringBuilder("[").append(tag).append("] job=").append(jobId);
        event = event.addKeyValue("tag", tag).addKeyValue("job", jobId);
        for (int i = 0; i < pairs.length; i += 2) {
            message.append(' ').append(pairs[i]).append('=').append(pairs[i + 1]);
            event = event.addKeyValue((String) pairs[i], pairs[i + 1]);
        }
        if (text != null) {
            message.append(' ').append(text);
        }
        event.log(message.toString());
    }
}
