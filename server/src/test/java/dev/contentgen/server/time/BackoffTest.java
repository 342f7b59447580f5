package dev.contentgen.server.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One backoff for the server: doubling from the base, capped, with at least half of each wait kept. */
class BackoffTest {
    @Test
    void waitsDoubleUpToTheCap() {
        Backoff fullJitter = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), bound -> bound);
        assertThat(fullJitter.delay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(fullJitter.delay(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(fullJitter.delay(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(fullJitter.delay(4)).isEqualTo(Duration.ofMillis(500));
        assertThat(fullJitter.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void jitterKeepsAtLeastHalfOfEachWait() {
        Backoff noJitter = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), bound -> 0);
        assertThat(noJitter.delay(3)).isEqualTo(Duration.ofMillis(200));
        Backoff random = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5));
        for (int i = 0; i < 100; i++) {
            assertThat(random.delay(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        }
    }

    @Test
    void aBaseAboveTheCapIsRefused() {
        assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
