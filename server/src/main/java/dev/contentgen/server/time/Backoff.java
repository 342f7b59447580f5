package dev.contentgen.server.time;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Capped exponential backoff with equal jitter, the one way the server waits between retries:
 * the n-th wait is half of min(cap, base·2^(n-1)) for sure and the other half at random, so many
 * waiters that failed together do not come back together.
 *
 * @param jitter picks a number in [0, bound]; tests pin it
 */
public record Backoff(Duration base, Duration cap, LongUnaryOperator jitter) {
    private static final LongUnaryOperator RANDOM = bound -> ThreadLocalRandom.current().nextLong(bound + 1);

    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, not " + base + ", " + cap);
        }
    }

    public static Backoff of(Duration base, Duration cap) {
        return new Backoff(base, cap, RANDOM);
    }

    /** The wait after the {@code failures}-th failure in a row (1 for the first). */
    public Duration delay(int failures) {
        long capMillis = cap.toMillis();
        long exp = base.toMillis();
        // Doubling stops at the cap, so no count of failures overflows.
        for (int i = 1; i < failures && exp < capMillis; i++) {
            exp *= 2;
        }
        exp = Math.min(exp, capMillis);
        return Duration.ofMillis(exp / 2 + jitter.applyAsLong(exp - exp / 2));
    }
}
