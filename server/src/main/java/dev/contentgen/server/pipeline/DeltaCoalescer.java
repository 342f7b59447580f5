package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobEvent;
import java.util.Optional;

/**
 * Gathers tokens into {@code artifact.delta} events: at most one event per window (or per
 * {@code maxChars} characters), so a fast model does not write one event per token, while a slow
 * model's token goes out as soon as it arrives (the window is measured from the last event).
 */
final class DeltaCoalescer {
    private final String artifactId;
    private final EventAppender out;
    private final int maxChars;
    private final long maxNanos;
    private final StringBuilder buffer = new StringBuilder();
    private long lastEventAt;

    DeltaCoalescer(String artifactId, EventAppender out, int maxChars, long maxMillis) {
        this.artifactId = artifactId;
        this.out = out;
        this.maxChars = maxChars;
        this.maxNanos = maxMillis * 1_000_000L;
        this.lastEventAt = System.nanoTime() - maxNanos;
    }

    void add(String token) {
        buffer.append(token);
        if (buffer.length() >= maxChars || System.nanoTime() - lastEventAt >= maxNanos) {
            flush();
        }
    }

    /** Nanoseconds until the held text is due, or -1 when nothing is held. */
    long heldDueInNanos() {
        return buffer.isEmpty() ? -1 : Math.max(0, lastEventAt + maxNanos - System.nanoTime());
    }

    /** Holds a token without sending it, for a caller that sends it with another event ({@link #takeHeld}). */
    void hold(String token) {
        buffer.append(token);
    }

    void flush() {
        takeHeld().ifPresent(out::append);
    }

    /** The held text as a delta event for the caller to append (with the event it belongs with), or empty. */
    Optional<JobEvent> takeHeld() {
        if (buffer.isEmpty()) {
            return Optional.empty();
        }
        JobEvent delta = new JobEvent.ArtifactDelta(artifactId, buffer.toString());
        buffer.setLength(0);
        lastEventAt = System.nanoTime();
        return Optional.of(delta);
    }
}
