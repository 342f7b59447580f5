package dev.contentgen.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Capped exponential backoff with jitter, never sooner than the server asked ({@code retry:} or Retry-After). */
final class Backoff {
    private final RetryPolicy policy;
    private final RandomGenerator random;

    Backoff(RetryPolicy policy, RandomGenerator random) {
        this.policy = policy;
        this.random = random;
    }

    /** The wait before attempt {@code failures + 1}, after {@code failures} failures in a row (1 or more). */
    Duration delay(int failures, Duration serverHint) {
        long hint = serverHint == null ? 0 : serverHint.toMillis();
        long base = Math.max(policy.initialDelay().toMillis(), hint);
        long cap = Math.max(policy.maxDelay().toMillis(), hint);
        long grown = base << Math.min(Math.max(failures - 1, 0), 20);
        long delay = Math.min(cap, grown < 0 ? cap : grown);
        // Up to a quarter more, so clients cut at the same moment do not all come back at the same moment.
        return Duration.ofMillis(delay + (delay >= 4 ? random.nextLong(delay / 4) : 0));
    }
}
