package dev.contentgen.server.config;

import java.time.Duration;

/**
 * How long finished jobs keep what: their deltas ({@code compactAfter}), themselves
 * ({@code deleteAfter}), and how long an idempotency key names its job ({@code idempotencyTtl}).
 * A zero duration turns that part off. {@code interval}: how often a node runs a retention pass.
 */
public record RetentionPolicy(Duration compactAfter, Duration deleteAfter, Duration idempotencyTtl, Duration interval) {

    /** Compact after an hour, never delete, keys for 24 hours, a pass a minute. */
    public static RetentionPolicy defaults() {
        return new RetentionPolicy(Duration.ofHours(1), Duration.ZERO, Duration.ofHours(24), Duration.ofMinutes(1));
    }

    public RetentionPolicy withInterval(Duration interval) {
        return new RetentionPolicy(compactAfter, deleteAfter, idempotencyTtl, interval);
    }

    public boolean compacts() {
        return compactAfter.isPositive();
    }

    public boolean deletes() {
        return deleteAfter.isPositive();
    }

    public boolean expiresKeys() {
        return idempotencyTtl.isPositive();
    }
}
