package dev.contentgen.server.pipeline.providers;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * How a step retries a failing provider: up to {@code maxAttempts} calls, waiting what the
 * provider asked (Retry-After, capped) or a capped exponential backoff with jitter.
 */
public final class RetryPolicy {
    private final int maxAttempts;
    private final Duration base;
    private final Duration cap;
    /** Picks a number in [0, bound]; injected so tests get a fixed jitter. */
    private final LongUnaryOperator jitter;

    public RetryPolicy(int maxAttempts, Duration base, Duration cap, LongUnaryOperator jitter) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("provider attempts must be >= 1");
        }
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.cap = cap;
        this.jitter = jitter;
    }

    public static RetryPolicy standard(int maxAttempts) {
        return new RetryPolicy(maxAttempts, Duration.ofSeconds(1), Duration.ofSeconds(30),
                bound -> java.util.concurrent.ThreadLocalRandom.current().nextLong(bound + 1));
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The wait before attempt {@code failedAttempt + 1}, or null when the job should fail now. */
    public Duration nextWait(ProviderFailure failure, int failedAttempt) {
        if (!failure.retryable() || failedAttempt >= maxAttempts) {
            return null;
        }
        if (failure.retryAfter() != null) {
            return min(failure.retryAfter(), cap);
        }
        // Equal jitter: half the exponential delay for sure, the other half at random, so many
        // jobs rate limited together do not come back together.
        long exp = Math.min(cap.toMillis(), base.toMillis() << Math.min(failedAttempt - 1, 20));
        return Duration.ofMillis(exp / 2 + jitter.applyAsLong(exp - exp / 2));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
