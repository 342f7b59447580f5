package dev.contentgen.server.pipeline.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Backoff: capped exponential with jitter, Retry-After honoured (capped), a limit, no retry of what cannot pass. */
class RetryPolicyTest {
    /** Jitter fixed at its top: the full exponential delay. */
    final RetryPolicy policy = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(8), bound -> bound);
    final ProviderFailure unavailable = new ProviderFailure.Unavailable(503, null);

    @Test
    void backoffDoublesUpToTheCap() {
        assertThat(policy.nextWait(unavailable, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.nextWait(unavailable, 2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.nextWait(unavailable, 3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.nextWait(unavailable, 4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.nextWait(unavailable, 5)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void jitterKeepsAtLeastHalfTheDelay() {
        RetryPolicy noJitter = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(8), bound -> 0);
        assertThat(noJitter.nextWait(unavailable, 3)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void retryAfterIsHonouredUpToTheCap() {
        assertThat(policy.nextWait(new ProviderFailure.RateLimited(Duration.ofSeconds(3)), 1)).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.nextWait(new ProviderFailure.RateLimited(Duration.ofMinutes(5)), 1)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void theLimitCountsEveryCall() {
        assertThat(policy.nextWait(unavailable, 5)).isNotNull();
        assertThat(policy.nextWait(unavailable, 6)).isNull();
    }

    @Test
    void authModelAndRefusalsAreNeverRetried() {
        assertThat(policy.nextWait(new ProviderFailure.AuthRejected(401), 1)).isNull();
        assertThat(policy.nextWait(new ProviderFailure.ModelNotFound("m"), 1)).isNull();
        assertThat(policy.nextWait(new ProviderFailure.Refused(400), 1)).isNull();
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        var clock = java.time.Clock.fixed(java.time.Instant.parse("2026-11-25T12:00:00Z"), java.time.ZoneOffset.UTC);
        assertThat(RetryAfter.parse("7", clock)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse("Wed, 25 Nov 2026 12:00:30 GMT", clock)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Wed, 25 Nov 2026 11:00:00 GMT", clock)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", clock)).isNull();
        assertThat(RetryAfter.parse(null, clock)).isNull();
    }
}
