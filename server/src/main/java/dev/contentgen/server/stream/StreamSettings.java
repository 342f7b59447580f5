package dev.contentgen.server.stream;

import java.time.Duration;

/** Timing of every stream: heartbeat interval, the client's reconnect delay, and store-retry backoff. */
public record StreamSettings(Duration heartbeat, Duration clientRetry, Duration storeRetryMin, Duration storeRetryMax) {
    public static StreamSettings defaults() {
        return new StreamSettings(Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(5));
    }
}
