package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobEvent;

/**
 * Gathers tokens into {@code artifact.delta} events of at most ~{@code maxChars} characters or
 * ~{@code maxMillis} of waiting, so a fast model does not write one event per token.
 */
final class DeltaCoalescer {
    private final String artifactId;
    private final EventAppender out;
    private final int maxChars;
    private final long maxNanos;
    private final StringBuilder buffer = new StringBuilder();
    private long firstTokenAt;

    DeltaCoalescer(String artifactId, EventAppender out, int maxChars, long maxMillis) {
        this.artifactId = artifactId;
        this.out = out;
        this.maxChars = maxChars;
        this.maxNanos = maxMillis * 1_000_000L;
    }

    void add(String token) {
        if (buffer.isEmpty()) {
            firstTokenAt = System.nanoTime();
        }
        buffer.append(token);
        if (buffer.length() >= maxChars || System.nanoTime() - firstTokenAt >= maxNanos) {
            flush();
        }
    }

    void flush() {
        if (!buffer.isEmpty()) {
            out.append(new JobEvent.ArtifactDelta(artifactId, buffer.toString()));
            buffer.setLength(0);
        }
    }
}
