package dev.contentgen.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Waits double from the first delay up to the cap, with up to a quarter of jitter, and never undercut the server's hint. */
class BackoffTest {
    private final Backoff backoff = new Backoff(new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 5), new Random(7));

    @Test
    void doublesFromTheInitialDelayUpToTheCap() {
        assertThat(backoff.delay(1, null)).isBetween(Duration.ofMillis(100), Duration.ofMillis(125));
        assertThat(backoff.delay(2, null)).isBetween(Duration.ofMillis(200), Duration.ofMillis(250));
        assertThat(backoff.delay(4, null)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1000));
        assertThat(backoff.delay(10, null)).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2500));
        assertThat(backoff.delay(1_000, null)).as("no overflow").isBetween(Duration.ofSeconds(2), Duration.ofMillis(2500));
    }

    @Test
    void theServersRetryHintIsTheLeastWaitEvenAboveTheCap() {
        assertThat(backoff.delay(1, Duration.ofSeconds(3))).isBetween(Duration.ofSeconds(3), Duration.ofMillis(3750));
        assertThat(backoff.delay(1, Duration.ofMillis(20))).isBetween(Duration.ofMillis(100), Duration.ofMillis(125));
    }

    @Test
    void jitterSpreadsClientsCutAtTheSameMoment() {
        var seen = new java.util.HashSet<Duration>();
        for (int i = 0; i < 20; i++) {
            seen.add(backoff.delay(3, null));
        }
        assertThat(seen).hasSizeGreaterThan(5);
    }
}
