package dev.contentgen.server.stream;

import java.time.Duration;

/**
 * Timing of every stream: heartbeat interval, the client's reconnect delay, store-retry backoff,
 * and how long a write may stay blocked (a client that stops reading) before the stream is cut.
 */
public record StreamSettings(Duration heartbeat, Duration clientRetry, Duration storeRetryMin, Duration storeRetryMax,
                             Duration writeTimeout) {
    public static StreamSettings defaults() {
        return new StreamSettings(Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
    }
}
