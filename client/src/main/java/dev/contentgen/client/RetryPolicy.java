package dev.contentgen.client;

import java.time.Duration;

/**
 * How the SDK retries: waits grow from {@code initialDelay} (or the server's {@code retry:}) by doubling
 * up to {@code maxDelay}, with jitter. A call is tried at most {@code maxAttempts} times; a stream
 * reconnects for as long as the server is reachable, and gives up after {@code maxAttempts}
 * connection attempts in a row that cannot reach it.
 */
public record RetryPolicy(Duration initialDelay, Duration maxDelay, int maxAttempts) {
    public RetryPolicy {
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(15), 6);
    }
}
