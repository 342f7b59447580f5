package dev.contentgen.server.pipeline.providers;

import dev.contentgen.server.time.Backoff;
import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * How a step retries a failing provider: up to {@code maxAttempts} calls, waiting what the
 * provider asked (Retry-After, capped) or a capped exponential backoff with jitter.
 */
public final class RetryPolicy {
    private final int maxAttempts;
    private final Duration cap;
    private final Backoff backoff;

    /** {@code jitter} picks a number in [0, bound]; injected so tests get a fixed jitter. */
    public RetryPolicy(int maxAttempts, Duration base, Duration cap, LongUnaryOperator jitter) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("provider attempts must be >= 1");
        }
        this.maxAttempts = maxAttempts;
        this.cap = cap;
        this.backoff = new Backoff(base, cap, jitter);
    }

    public static RetryPolicy standard(int maxAttempts) {
        Backoff standard = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(30));
        return new RetryPolicy(maxAttempts, standard.base(), standard.cap(), standard.jitter());
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
        // Jittered, so many jobs rate limited together do not come back together.
        return backoff.delay(failedAttempt);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
