package dev.contentgen.server.stream;

import java.time.Instant;
import java.util.List;

/** The answer of {@code GET /api/jobs/{id}/streams}: the job's open streams on this node and its last ends, newest first. */
public record StreamReport(String jobId, String node, List<Open> open, List<End> ended) {

    /** An open stream: where it resumed from ({@code after}), what it has written, and the last seq its client has. */
    public record Open(long stream, Instant openedAt, long after, boolean reconnect, long sent, long replayed, long lastSeq) {}

    /**
     * A stream that ended, or a request answered without opening one ({@code opened} false: 204, 400, 404, or
     * one retryable error event such as {@code too_many_streams}); {@code reason} as in the log's [STREAM_END].
     */
    public record End(long stream, boolean opened, String reason, Instant openedAt, Instant endedAt, long durationMs,
                      long after, long sent, long replayed, long lastSeq) {}

    public StreamReport withNode(String node) {
        return new StreamReport(jobId, node, open, ended);
    }
}
